import { connect } from 'node:net';
import { DatabaseConnectionError } from './database-connection-error.ts';

/** The SSLRequest message: length 8, code 80877103. A PostgreSQL server answers exactly one byte. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Checks once, within `timeoutMs`, that a PostgreSQL server listens at host:port, before a
 * client library is given the address: against something else (an HTTP server, a port that
 * never answers) postgres.js would retry without end. Sends the SSLRequest; PostgreSQL answers
 * `S` or `N`. Anything else, a refusal or silence is a DatabaseConnectionError.
 */
export function probePostgres(host: string, port: number, timeoutMs: number): Promise<void> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new DatabaseConnectionError(address, reason));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(SSL_REQUEST));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length === 1 && (received[0] === 0x53 || received[0] === 0x4e)) {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      } else {
        fail(`it did not answer as PostgreSQL (it sent ${JSON.stringify(printable(received))})`);
      }
    });
    socket.on('end', () => fail(received.length ? 'it did not answer as PostgreSQL' : 'it closed the connection without answering as PostgreSQL'));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(connectFailure(error)));
  });
}

function connectFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host cannot be reached';
    case 'ECONNRESET':
      return 'the connection was reset without a PostgreSQL answer';
    default:
      return `cannot connect (${error.code ?? error.message})`;
  }
}

/** The first bytes received, as text a terminal can show. */
function printable(bytes: Buffer): string {
  return bytes.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
}
