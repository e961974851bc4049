import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { HISTORY_TABLE } from '../apps/core/src/lib/migrations/history';
import { EPOCH_TABLE } from '../apps/core/src/lib/migrations/schema-epoch';

/**
 * What migrations own of the `ydtb_`-prefixed objects of the public schema, as plain rows
 * without oids: relations (tables, views with their definition and options, indexes,
 * sequences), columns with type, default, nullability, identity and generation, constraints,
 * index definitions, enum types with their values, and sequence parameters. Row-level security,
 * policies and grants are the pipeline's and left out, as are the pipeline's history and schema epoch tables.
 */
export interface CatalogDump {
  readonly relations: readonly Row[];
  readonly columns: readonly Row[];
  readonly constraints: readonly Row[];
  readonly indexes: readonly Row[];
  readonly types: readonly Row[];
  readonly sequences: readonly Row[];
}

type Row = Record<string, unknown>;

const PIPELINE = `'${HISTORY_TABLE}', '${EPOCH_TABLE}'`;
const OWNED = `n.nspname = 'public' AND c.relname LIKE 'ydtb\\_%' AND c.relname NOT IN (${PIPELINE})
  AND NOT EXISTS (SELECT 1 FROM pg_index hx JOIN pg_class h ON h.oid = hx.indrelid WHERE hx.indexrelid = c.oid AND h.relname IN (${PIPELINE}))
  AND NOT EXISTS (SELECT 1 FROM pg_depend hd JOIN pg_class h ON h.oid = hd.refobjid
                   WHERE hd.classid = 'pg_class'::regclass AND hd.objid = c.oid AND hd.refclassid = 'pg_class'::regclass
                     AND hd.deptype IN ('a', 'i') AND h.relname IN (${PIPELINE}))`;

export async function readCatalogDump(client: SqlClient): Promise<CatalogDump> {
  const rows = (sql: string) => client.query<Row>(sql);
  return {
    relations: await rows(`
      SELECT c.relname AS name, c.relkind::text AS kind, c.reloptions::text AS options,
             CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${OWNED} ORDER BY 1`),
    columns: await rows(`
      SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default",
             a.attidentity::text AS identity, a.attgenerated::text AS generated
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${OWNED} AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`),
    constraints: await rows(`
      SELECT c.relname AS "table", k.conname AS name, k.contype::text AS kind, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${OWNED} ORDER BY 1, 2`),
    indexes: await rows(`
      SELECT tablename AS "table", indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = 'public' AND tablename LIKE 'ydtb\\_%' AND tablename NOT IN (${PIPELINE}) ORDER BY 1, 2`),
    types: await rows(`
      SELECT t.typname AS name, t.typtype::text AS kind,
             (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)::text AS "values"
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typname LIKE 'ydtb\\_%' AND t.typrelid = 0 ORDER BY 1`),
    sequences: await rows(`
      SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
             s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${OWNED} ORDER BY 1`),
  };
}
