import type postgres from 'postgres';
import { postgresDriver } from './postgres-driver.ts';
import { startupParameters, type SessionSettings } from './session-settings.ts';
import type { SqlClient } from './sql-client.ts';

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * A client on a PostgreSQL server with exactly one connection: session state (the migration
 * advisory lock, `SET` values) then always lives on the connection the next statement uses.
 * That connection is never closed for being idle or old (no idle_timeout, no max_lifetime):
 * postgres.js would open a new one for the next statement, without the session's lock.
 * `settings` bound what its statements wait for (the migrator sets lock_timeout); none by default.
 */
export function postgresClient(
  url: string,
  connectTimeoutSeconds = 10,
  settings: SessionSettings = {},
): SqlClient & { destroy(): Promise<void> } {
  const sql = postgresDriver()(url, {
    max: 1,
    onnotice: () => undefined,
    connect_timeout: connectTimeoutSeconds,
    idle_timeout: 0,
    max_lifetime: null,
    connection: startupParameters(settings),
  });
  return {
    ...operations(sql),
    transaction: (work) => sql.begin((tx) => work(transactionClient(tx))) as Promise<never>,
    close: () => sql.end({ timeout: 5 }),
    loginAs: (role, password) => {
      const other = new URL(url);
      other.username = encodeURIComponent(role);
      other.password = encodeURIComponent(password);
      // The same bounds (lock_timeout): a package's DDL waits no longer than the migrator's own.
      return postgresClient(other.toString(), connectTimeoutSeconds, settings);
    },
    /** Drops the connection at once, queries in flight included: for a server that never became usable. */
    destroy: () => sql.end({ timeout: 0 }),
  };
}

function transactionClient(tx: postgres.TransactionSql): SqlClient {
  return {
    ...operations(tx),
    transaction: () => Promise.reject(new Error('nested transactions are not supported')),
    close: () => Promise.resolve(),
  };
}

function operations(sql: Sql): Pick<SqlClient, 'dialect' | 'query' | 'exec'> {
  return {
    dialect: 'postgres',
    query: async <T extends object>(text: string, params: readonly unknown[] = []) =>
      (await sql.unsafe(text, [...params] as postgres.ParameterOrJSON<never>[])) as unknown as T[],
    // Without parameters postgres.js uses the simple query protocol, which accepts several statements.
    exec: async (script) => {
      await sql.unsafe(script);
    },
  };
}
