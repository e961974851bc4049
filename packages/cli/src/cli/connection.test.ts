import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { EXIT } from './cli-io.ts';
import { runCliCaptured } from './run-cli-captured.ts';

/** A listener on a free local port that counts the connections it accepts. */
async function listen(server: Server): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const listener = await listen(createServer());
  await listener.close();
  return listener.port;
}

async function migrate(url: string, env: Record<string, string> = {}) {
  const started = performance.now();
  const run = await runCliCaptured(['db', 'migrate'], { env: { DATABASE_URL: url, ...env } });
  return { ...run, seconds: (performance.now() - started) / 1000 };
}

describe('ydtb db migrate with a DATABASE_URL that is not PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  describe('when an HTTP server answers at the address', () => {
    it('should exit 1 saying it did not answer as PostgreSQL, after a bounded number of connections, without credentials', async () => {
      const http = await listen(createHttpServer((_, response) => response.end('hello')));
      cleanups.push(http.close);

      const run = await migrate(`postgres://admin:s3cret-pass@127.0.0.1:${http.port}/app`);

      // The message is the proof it read the answer rather than waited out its time-out ("no answer within").
      expect(run.code).toBe(EXIT.failed);
      expect(run.err).toContain(`Cannot use the PostgreSQL server at 127.0.0.1:${http.port}: it did not answer as PostgreSQL (it sent "HTTP/1.1 400 Bad Request`);
      expect(run.output).not.toContain('s3cret-pass');
      expect(run.output).not.toContain('admin');
      expect(http.accepted()).toBeLessThanOrEqual(3);
    });
  });

  describe('when nothing listens on the port', () => {
    it('should exit 1 saying the connection was refused, without waiting out its time-out', async () => {
      const port = await closedPort();

      const run = await migrate(`postgres://admin:s3cret-pass@127.0.0.1:${port}/app`, { YDTB_CONNECT_TIMEOUT: '30' });

      expect(run.code).toBe(EXIT.failed);
      // Not a speed bound: a refusal is final, so the configured time-out must not be spent on it.
      expect(run.seconds).toBeLessThan(30);
      expect(run.err).toContain(`127.0.0.1:${port}: connection refused`);
      expect(run.output).not.toContain('s3cret-pass');
    });
  });

  describe('when the listener accepts and never answers', () => {
    it('should exit 1 after about the configured YDTB_CONNECT_TIMEOUT', async () => {
      const silent = await listen(createServer(() => undefined));
      cleanups.push(silent.close);

      const run = await migrate(`postgres://127.0.0.1:${silent.port}/app`, { YDTB_CONNECT_TIMEOUT: '1.5' });

      expect(run.code).toBe(EXIT.failed);
      expect(run.seconds).toBeGreaterThanOrEqual(1.4);
      expect(run.seconds).toBeLessThan(4);
      expect(run.err).toContain('no answer within 1.5 s');
      expect(silent.accepted()).toBe(1);
    });
  });

  describe('when the listener passes the first check and then speaks HTTP', () => {
    it('should give up after about the configured timeout, with a bounded number of connections', async () => {
      const imposter = await listen(
        createServer((socket) => {
          let first = true;
          socket.on('data', () => {
            if (first) socket.write('N');
            else socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
            first = false;
          });
          socket.on('error', () => undefined);
        }),
      );
      cleanups.push(imposter.close);

      const run = await migrate(`postgres://127.0.0.1:${imposter.port}/app`, { YDTB_CONNECT_TIMEOUT: '1.5' });

      expect(run.code).toBe(EXIT.failed);
      expect(run.seconds).toBeLessThan(4);
      expect(run.err).toContain(`127.0.0.1:${imposter.port}`);
      expect(imposter.accepted()).toBeLessThanOrEqual(5);
    });
  });

  describe('when YDTB_CONNECT_TIMEOUT is not a number of seconds', () => {
    it.each(['soon', '0', '-1'])('should exit 2 for %s', async (value) => {
      const run = await migrate('postgres://127.0.0.1:1/app', { YDTB_CONNECT_TIMEOUT: value });

      expect(run.code).toBe(EXIT.usage);
      expect(run.err).toContain('YDTB_CONNECT_TIMEOUT must be a number of seconds');
    });
  });
});
