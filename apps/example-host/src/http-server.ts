import type { Handler } from './routes';

/** The part of Bun's API this app uses: declared here, so the app needs no Bun type package. */
interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface BunRuntime {
  serve(options: { hostname: string; port: number; fetch: Handler; error: (error: Error) => Response }): BunServer;
}

export interface HttpServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `handler` with Bun.serve; port 0 takes a free port. A handler that throws answers 500, logged without the request body. */
export function serveHttp(handler: Handler, { hostname = '127.0.0.1', port }: { hostname?: string; port: number }): HttpServer {
  const bun = (globalThis as { Bun?: BunRuntime }).Bun;
  if (!bun) throw new Error('The example host serves HTTP with Bun.serve: start it with `bun src/main.ts`.');
  const server = bun.serve({
    hostname,
    port,
    fetch: handler,
    error: (error) => {
      console.error(`Request failed: ${error.message}`);
      return new Response(JSON.stringify({ error: 'The request failed on the server.' }), { status: 500, headers: { 'content-type': 'application/json' } });
    },
  });
  return {
    url: `http://${hostname}:${server.port}`,
    port: server.port,
    stop: async () => {
      await server.stop(true);
    },
  };
}
