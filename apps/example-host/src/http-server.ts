import { LIMITS } from './limits';
import type { Handler } from './deadline';

/** The part of Bun's API this app uses: declared here, so the app needs no Bun type package. */
interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface BunRuntime {
  serve(options: {
    hostname: string;
    port: number;
    fetch: Handler;
    error: (error: Error) => Response;
    maxRequestBodySize: number;
    idleTimeout: number;
  }): BunServer;
}

export interface HttpServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Serves `handler` with Bun.serve; port 0 takes a free port. A handler that throws answers 500;
 * the log line names the error's class and code only, never its message (a driver's message may
 * quote the query and its parameters) nor anything of the request. Bun refuses a body above
 * twice the app's own limit before the handler runs; `idleTimeoutSeconds` must exceed the deadline,
 * so that every request is answered by the app, never cut by Bun.
 */
export function serveHttp(handler: Handler, { hostname = '127.0.0.1', port, idleTimeoutSeconds }: { hostname?: string; port: number; idleTimeoutSeconds: number }): HttpServer {
  const bun = (globalThis as { Bun?: BunRuntime }).Bun;
  if (!bun) throw new Error('The example host serves HTTP with Bun.serve: start it with `bun src/main.ts`.');
  const server = bun.serve({
    hostname,
    port,
    fetch: handler,
    maxRequestBodySize: 2 * LIMITS.bodyBytes,
    idleTimeout: Math.min(255, Math.ceil(idleTimeoutSeconds)),
    error: (error) => {
      console.error(`Request failed: ${describeError(error)}`);
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

/** An error's class and code, for a log line: no message, no query, no parameters. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    codes.push(typeof code === 'string' || typeof code === 'number' ? `${current.name} ${code}` : current.name);
  }
  const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at '))?.trim();
  return `${codes.join(' <- ')}${frame ? ` (${frame})` : ''}`;
}
