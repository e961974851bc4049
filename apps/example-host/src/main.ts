import { EnvironmentError, SchemaValidationError } from '@ydtb/core';
import { describeError } from './http-server';
import { HOST_DEFAULTS, startHost } from './host';

/*
 * bun src/main.ts, with DATABASE_URL (the application's login role), PORT (default 3000; 0 takes a
 * free one) and DATABASE_POOL_MAX (default 4); optionally REQUEST_DEADLINE_MS (5000),
 * DATABASE_STATEMENT_TIMEOUT_MS (4000), DATABASE_LOCK_TIMEOUT_MS (2000),
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (10000), DATABASE_CONNECT_TIMEOUT (seconds, 3).
 * Exit codes: 0 stopped by a signal, 1 failed to start (database or login role), 2 bad settings,
 * 3 invalid packages. Once listening it does not exit on a database fault: see below.
 */
const { DATABASE_URL, PORT = '3000', DATABASE_POOL_MAX = '4' } = process.env;
const port = Number(PORT);
const poolMax = Number(DATABASE_POOL_MAX);

if (!DATABASE_URL || !Number.isInteger(port) || port < 0 || !Number.isInteger(poolMax) || poolMax < 2) {
  console.error('Set DATABASE_URL to the application login role, and optionally PORT (an integer, 0 for a free port) and DATABASE_POOL_MAX (2 or more).');
  process.exit(2);
}

/** A whole number from the environment, or the default; exit 2 on anything else. */
function setting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${name} must be a whole number, ${min} or more, not "${raw.slice(0, 40)}".`);
    process.exit(2);
  }
  return value;
}

const deadlineMs = setting('REQUEST_DEADLINE_MS', HOST_DEFAULTS.deadlineMs, 100);
const pool = {
  statementTimeoutMs: setting('DATABASE_STATEMENT_TIMEOUT_MS', HOST_DEFAULTS.statementTimeoutMs, 0),
  lockTimeoutMs: setting('DATABASE_LOCK_TIMEOUT_MS', HOST_DEFAULTS.lockTimeoutMs, 0),
  idleInTransactionTimeoutMs: setting('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', HOST_DEFAULTS.idleInTransactionTimeoutMs, 0),
  connectTimeoutSeconds: setting('DATABASE_CONNECT_TIMEOUT', HOST_DEFAULTS.connectTimeoutSeconds, 1),
};

/*
 * Process-level errors: logged (class, code and the first frame, never a message, which may quote
 * a query's parameters) and the host keeps serving. It does not exit, because what reaches here
 * is a fault of one request's work or of one connection (the postgres.js socket race was one,
 * patched), not of the process: every request is still answered within its deadline, and the
 * pool replaces a broken connection. A host that prefers to exit and be restarted by its
 * supervisor calls process.exit(1) here instead; then requests in flight are lost with it.
 */
let uncaught = 0;
process.on('uncaughtException', (error) => console.error(`Uncaught exception #${++uncaught}, serving on: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => console.error(`Unhandled rejection #${++uncaught}, serving on: ${describeError(reason)}`));

try {
  const host = await startHost({ databaseUrl: DATABASE_URL, port, poolMax, pool, deadlineMs, env: process.env });
  console.log(`Validated ${host.packages.length} packages: ${host.packages.join(', ')}.`);
  console.log(`Listening on ${host.url} as ${host.loginRole}, ${poolMax} pooled connections, ${deadlineMs} ms request deadline.`);
  const stop = async () => {
    await host.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof SchemaValidationError ? 3 : error instanceof EnvironmentError ? 2 : 1);
}
