import { createRequire } from 'node:module';
import type postgres from 'postgres';

const require = createRequire(import.meta.url);

/**
 * postgres.js, loaded on the first client: importing @ydtb/core (which exports the clients) loads
 * no driver, and an app on the embedded database never loads this one. Bun hands back the ES
 * module (its default export is the driver), Node the CommonJS build (the driver itself).
 *
 * The repository installs postgres.js 3.4.9 with `patches/postgres@3.4.9.patch`: without it a
 * connection closed by the server (a restart, `pg_terminate_backend`) while a write was queued
 * throws an uncaught TypeError from `nextWrite`, and a reconnected connection can keep its
 * startup message unsent until connect_timeout.
 */
export function postgresDriver(): typeof postgres {
  let loaded: typeof postgres | { default: typeof postgres };
  try {
    loaded = require('postgres') as typeof postgres | { default: typeof postgres };
  } catch (error) {
    throw missingDriver('postgres', 'a PostgreSQL server', error);
  }
  return 'default' in loaded ? loaded.default : loaded;
}

/**
 * The drivers are optional peers of @ydtb/core: a host installs the one it uses. Missing, the
 * error says which to install instead of a bare "Cannot find module".
 */
export function missingDriver(name: string, what: string, cause: unknown): unknown {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND' && !/Cannot find (module|package)/.test(String(cause))) return cause;
  return new Error(`Opening ${what} needs the driver ${name}, an optional peer dependency of @ydtb/core that is not installed: add it to your app (npm install ${name}).`, { cause });
}
