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
  const loaded = require('postgres') as typeof postgres | { default: typeof postgres };
  return 'default' in loaded ? loaded.default : loaded;
}
