import type { SqlClient } from '../database/sql-client.ts';

/** A live foreign key from a table outside a package into one of its tables. */
export interface IncomingForeignKey {
  readonly constraint: string;
  /** The referencing table. */
  readonly table: string;
  /** The package's table it references. */
  readonly references: string;
}

/**
 * The foreign keys that reach `tables` from any other table of the current schema. A down SQL
 * that drops one of `tables` with CASCADE (as drizzle-kit writes it) drops these keys silently;
 * reading them before and after tells whether it did.
 */
export async function incomingForeignKeys(client: SqlClient, tables: readonly string[]): Promise<IncomingForeignKey[]> {
  if (tables.length === 0) return [];
  return client.query<IncomingForeignKey>(
    `SELECT c.conname AS "constraint", src.relname AS "table", dst.relname AS "references"
       FROM pg_constraint c
       JOIN pg_class src ON src.oid = c.conrelid
       JOIN pg_class dst ON dst.oid = c.confrelid
      WHERE c.contype = 'f'
        AND dst.relnamespace = current_schema()::regnamespace
        AND dst.relname = ANY($1::text[])
        AND NOT (src.relname = ANY($1::text[]))
      ORDER BY src.relname, c.conname`,
    [tables],
  );
}
