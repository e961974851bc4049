import { createRequire } from 'node:module';
import type postgres from 'postgres';
import type { SqlClient } from './sql-client';

const require = createRequire(import.meta.url);

/**
 * postgres.js, loaded on the first client: importing @ydtb/core (which exports this function)
 * loads no driver, and an app on the embedded database never loads this one. Bun hands back the
 * ES module (its default export is the driver), Node the CommonJS build (the driver itself).
 */
function driver(): typeof postgres {
  const loaded = require('postgres') as typeof postgres | { default: typeof postgres };
  return 'default' in loaded ? loaded.default : loaded;
}

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * A client on a PostgreSQL server with exactly one connection: session state (the migration
 * advisory lock, `SET` values) then always lives on the connection the next statement uses.
 */
export function postgresClient(url: string, connectTimeoutSeconds = 10): SqlClient & { destroy(): Promise<void> } {
  const sql = driver()(url, { max: 1, onnotice: () => undefined, connect_timeout: connectTimeoutSeconds });
  return {
    ...operations(sql),
    transaction: (work) => sql.begin((tx) => work(transactionClient(tx))) as Promise<never>,
    close: () => sql.end({ timeout: 5 }),
    loginAs: (role, password) => {
      const other = new URL(url);
      other.username = encodeURIComponent(role);
      other.password = encodeURIComponent(password);
      return postgresClient(other.toString(), connectTimeoutSeconds);
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
