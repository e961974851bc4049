import { EnvironmentError, SchemaValidationError } from '@ydtb/core';
import { startHost } from './host';

/*
 * bun src/main.ts, with DATABASE_URL (the application's login role), PORT (default 3000; 0 takes a
 * free one) and DATABASE_POOL_MAX (default 4). Exit codes: 0 stopped by a signal, 1 failed to
 * start (database or login role), 2 bad settings, 3 invalid packages.
 */
const { DATABASE_URL, PORT = '3000', DATABASE_POOL_MAX = '4' } = process.env;
const port = Number(PORT);
const poolMax = Number(DATABASE_POOL_MAX);

if (!DATABASE_URL || !Number.isInteger(port) || port < 0 || !Number.isInteger(poolMax) || poolMax < 2) {
  console.error('Set DATABASE_URL to the application login role, and optionally PORT (an integer, 0 for a free port) and DATABASE_POOL_MAX (2 or more).');
  process.exit(2);
}

try {
  const host = await startHost({ databaseUrl: DATABASE_URL, port, poolMax, env: process.env });
  console.log(`Validated ${host.packages.length} packages: ${host.packages.join(', ')}.`);
  console.log(`Listening on ${host.url} as ${host.loginRole}, ${poolMax} pooled connections.`);
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

