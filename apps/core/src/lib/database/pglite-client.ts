import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.ts';

type PgliteLike = Pick<PGliteInterface, 'query' | 'exec'>;

/** Wraps a PGlite instance (or one of its transactions). */
export function pgliteClient(pg: PGliteInterface): SqlClient {
  return {
    ...operations(pg),
    transaction: (work) => pg.transaction((tx) => work(transactionClient(tx))),
    close: () => pg.close(),
  };
}

function transactionClient(tx: Transaction): SqlClient {
  return {
    ...operations(tx),
    transaction: () => Promise.reject(new Error('nested transactions are not supported')),
    close: () => Promise.resolve(),
  };
}

function operations(pg: PgliteLike): Pick<SqlClient, 'dialect' | 'query' | 'exec'> {
  return {
    dialect: 'pglite',
    query: async <T extends object>(text: string, params: readonly unknown[] = []) =>
      (await pg.query<T>(text, [...params])).rows,
    exec: async (script) => {
      await pg.exec(script);
    },
  };
}
