import type { SqlClient } from '../database/sql-client.ts';

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

/**
 * One row a table: its columns and its single-column foreign keys. One query instead of a row
 * per column and a row per key: on PGlite, turning rows into objects costs more than the query.
 */
const TABLES = `
SELECT c.relname AS table_name,
  ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
  (SELECT json_agg(json_build_array(a.attname, ft.relname, fa.attname))
     FROM pg_constraint con
     JOIN pg_class ft ON ft.oid = con.confrelid
     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
     JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
    WHERE con.conrelid = c.oid AND con.contype = 'f' AND cardinality(con.conkey) = 1) AS foreign_keys
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')`;

export async function readCatalog(client: SqlClient): Promise<Catalog> {
  const tables = new Map<string, Set<string>>();
  const foreignKeys: CatalogForeignKey[] = [];
  const rows = await client.query<{ table_name: string; columns: string[]; foreign_keys: [string, string, string][] | string | null }>(TABLES);
  for (const row of rows) {
    tables.set(row.table_name, new Set(row.columns));
    // PGlite parses json; postgres.js may hand it over as text.
    const keys = typeof row.foreign_keys === 'string' ? (JSON.parse(row.foreign_keys) as [string, string, string][]) : (row.foreign_keys ?? []);
    for (const [column, foreignTable, foreignColumn] of keys) foreignKeys.push({ table: row.table_name, column, foreignTable, foreignColumn });
  }
  return { tables, foreignKeys };
}
