import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { postgresPool, type PostgresPoolOptions } from '@ydtb/core';

export interface Pool {
  readonly sql: postgres.Sql;
  readonly db: PostgresJsDatabase;
  /** How many connections the pool opens at most. */
  readonly max: number;
  /** The pool's bounds in effect (timeouts, lifetime), defaults filled in. */
  readonly options: Required<PostgresPoolOptions>;
  close(): Promise<void>;
}

/**
 * A pool of `max` connections as the application's login role (a role granted ydtb_app, never the
 * tables' owner), @ydtb/core's postgresPool with its bounds: statement_timeout, lock_timeout,
 * idle_in_transaction_session_timeout, connect_timeout, idle_timeout, max_lifetime. Requests
 * share the connections: whatever a request sets must end with its transaction, which is what
 * withWorkspace guarantees.
 */
export function openPool(url: string, options: PostgresPoolOptions & { readonly max: number }): Pool {
  const pool = postgresPool(url, { applicationName: 'ydtb-example-host', ...options });
  return { sql: pool.sql, db: drizzle(pool.sql), max: pool.options.max, options: pool.options, close: () => pool.close(5) };
}
