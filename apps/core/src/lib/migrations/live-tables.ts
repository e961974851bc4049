import type { SqlClient } from '../database/sql-client.ts';

/** A table of the current schema as baselining compares it: columns with their types, and keys. */
export interface LiveTable {
  readonly columns: ReadonlyMap<string, { readonly type: string; readonly notNull: boolean }>;
  /** Primary key columns in key order; empty when there is none. */
  readonly primaryKey: readonly string[];
  /** Each foreign key as `(from columns) -> table(to columns)`. */
  readonly foreignKeys: readonly string[];
}

const LIVE_TABLES = `
SELECT c.relname AS table_name,
  (SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull) ORDER BY a.attnum)
     FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT json_agg(a.attname ORDER BY k.ord)
     FROM pg_constraint con, unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attnum = k.attnum
    WHERE con.conrelid = c.oid AND con.contype = 'p' AND a.attrelid = c.oid) AS primary_key,
  (SELECT json_agg(
      '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)
      || ') -> ' || ft.relname || '('
      || (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
      || ')')
     FROM pg_constraint con JOIN pg_class ft ON ft.oid = con.confrelid
    WHERE con.conrelid = c.oid AND con.contype = 'f') AS foreign_keys
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`;

/** PGlite parses json; postgres.js may hand it over as text. */
function json<T>(value: T | string | null): T | null {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The named tables that exist in the current schema, by name. */
export async function readLiveTables(client: SqlClient, names: readonly string[]): Promise<Map<string, LiveTable>> {
  const rows = await client.query<{
    table_name: string;
    columns: [string, string, boolean][] | string | null;
    primary_key: string[] | string | null;
    foreign_keys: string[] | string | null;
  }>(LIVE_TABLES, [[...names]]);
  return new Map(
    rows.map((row) => [
      row.table_name,
      {
        columns: new Map((json(row.columns) ?? []).map(([name, type, notNull]) => [name, { type, notNull }])),
        primaryKey: json(row.primary_key) ?? [],
        foreignKeys: json(row.foreign_keys) ?? [],
      },
    ]),
  );
}
