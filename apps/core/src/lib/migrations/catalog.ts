import type { SqlClient } from '../database/sql-client';

/** What the live database holds, read from the PostgreSQL catalog (current schema only). */
export interface Catalog {
  /** Table name → its column names. */
  readonly tables: ReadonlyMap<string, ReadonlySet<string>>;
  readonly foreignKeys: readonly CatalogForeignKey[];
}

/** A single-column foreign key. */
export interface CatalogForeignKey {
  readonly table: string;
  readonly column: string;
  readonly foreignTable: string;
  readonly foreignColumn: string;
}

const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS column_name
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')`;

const FOREIGN_KEYS = `
SELECT cl.relname AS table_name, a.attname AS column_name, ft.relname AS foreign_table, fa.attname AS foreign_column
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_class ft ON ft.oid = con.confrelid
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND cl.relnamespace = current_schema()::regnamespace`;

export async function readCatalog(client: SqlClient): Promise<Catalog> {
  const tables = new Map<string, Set<string>>();
  for (const row of await client.query<{ table_name: string; column_name: string }>(COLUMNS)) {
    const columns = tables.get(row.table_name) ?? new Set<string>();
    columns.add(row.column_name);
    tables.set(row.table_name, columns);
  }
  const foreignKeys = (
    await client.query<{ table_name: string; column_name: string; foreign_table: string; foreign_column: string }>(FOREIGN_KEYS)
  ).map((row) => ({ table: row.table_name, column: row.column_name, foreignTable: row.foreign_table, foreignColumn: row.foreign_column }));
  return { tables, foreignKeys };
}
