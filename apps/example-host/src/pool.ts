import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export interface Pool {
  readonly sql: postgres.Sql;
  readonly db: PostgresJsDatabase;
  /** How many connections the pool opens at most. */
  readonly max: number;
  close(): Promise<void>;
}

/**
 * A pool of `max` connections as the application's login role (a role granted ydtb_app, never the
 * tables' owner). Requests share the connections: whatever a request sets must end with its
 * transaction, which is what withWorkspace guarantees.
 */
export function openPool(url: string, max: number): Pool {
  const sql = postgres(url, { max, onnotice: () => undefined });
  return { sql, db: drizzle(sql), max, close: () => sql.end({ timeout: 5 }) };
}
