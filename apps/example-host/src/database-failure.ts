import { pgErrorCode } from './pg-error-code';

/** How the host answers a request the database could not serve: a status the client can act on. */
export interface DatabaseFailure {
  readonly status: 503 | 504;
  /** Seconds, for the Retry-After header. */
  readonly retryAfter: number;
  readonly error: string;
  /** What the log says: a code, never the query, its parameters or the request. */
  readonly code: string;
}

/** postgres.js's own codes for a connection that is gone or never came. */
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** Node's (and Bun's) socket errors. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * 503 with Retry-After when the database is unavailable or busy (it restarts, ended the
 * connection, refused one, a lock was not granted within lock_timeout, a serialisation failure);
 * 504 when it was too slow (statement_timeout). Undefined for anything else: a bug, answered 500.
 */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  const code = errorCode(error);
  if (!code) return undefined;
  const unavailable = (why: string): DatabaseFailure => ({ status: 503, retryAfter: 1, code, error: `The database is unavailable (${why}); retry in a moment.` });
  if (CONNECTION_CODES.has(code) || SOCKET_CODES.has(code)) return unavailable('its connection failed');
  switch (code) {
    case '57014':
      return { status: 504, retryAfter: 2, code, error: 'The database did not answer in time; retry in a moment.' };
    case '55P03':
      return { status: 503, retryAfter: 2, code, error: 'The data is locked by other work; retry in a moment.' };
    case '40001':
    case '40P01':
      return unavailable('a conflicting transaction');
    case '53300':
      return unavailable('too many connections');
    case '25P03':
      return unavailable('the transaction was idle too long');
  }
  // Class 08 (connection exception), 57P01-57P05 (shutdown, cannot connect now), 53 (resources).
  if (/^(08|57P0|53)/.test(code)) return unavailable('it is restarting or out of resources');
  return undefined;
}

/** The SQLSTATE, else postgres.js's or the socket's code, looked up through drizzle's wrapping. */
export function errorCode(error: unknown): string | undefined {
  const sqlState = pgErrorCode(error);
  if (sqlState) return sqlState;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || SOCKET_CODES.has(code))) return code;
  }
  return undefined;
}
