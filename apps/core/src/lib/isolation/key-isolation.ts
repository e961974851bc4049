import type { SqlClient } from '../database/sql-client.ts';
import { textArray } from './text-array.ts';
import type { SecurityModel } from './security-model.ts';

/**
 * A key on a package table that PostgreSQL checks across workspaces: unique and exclusion
 * constraints and foreign keys are enforced without regard to row-level security, so one that
 * does not carry the workspace column tells a workspace what another holds.
 */
export type KeyProblem =
  | { readonly kind: 'unique'; readonly table: string; readonly index: string; readonly columns: readonly string[] }
  | { readonly kind: 'foreign-key'; readonly table: string; readonly constraint: string; readonly foreignTable: string };

const UNIQUE = `
SELECT c.relname AS table_name, i.relname AS index_name,
  ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
WHERE (x.indisunique OR x.indisexclusion) AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])
  AND (NOT $2::boolean OR age(x.xmin) = 0)
ORDER BY 1, 2`;

const FOREIGN_KEYS = `
SELECT c.relname AS table_name, con.conname AS constraint_name, f.relname AS foreign_table,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS foreign_columns
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class f ON f.oid = con.confrelid
WHERE con.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = ANY($1::text[]) AND f.relname = ANY($1::text[])
  AND (NOT $2::boolean OR age(con.xmin) = 0)
ORDER BY 1, 2`;

/**
 * The live keys of package tables that leave their workspace, however they were created; with
 * `createdInThisTransaction`, only those the running transaction made (their catalog rows' age is
 * 0), which keeps a package's own check from reading every other package's keys again.
 */
export async function keyProblems(client: SqlClient, model: SecurityModel, { createdInThisTransaction = false } = {}): Promise<KeyProblem[]> {
  const tables = [...model.tenantTables.keys()];
  if (tables.length === 0) return [];
  const column = (table: string) => model.tenantTables.get(table)!.workspaceColumn;
  const problems: KeyProblem[] = [];
  const uniques = await client.query<{ table_name: string; index_name: string; columns: string[] | string }>(UNIQUE, [tables, createdInThisTransaction]);
  for (const row of uniques) {
    const columns = textArray(row.columns);
    if (!columns.includes(column(row.table_name))) problems.push({ kind: 'unique', table: row.table_name, index: row.index_name, columns });
  }
  const foreignKeys = await client.query<{ table_name: string; constraint_name: string; foreign_table: string; columns: string[] | string; foreign_columns: string[] | string }>(FOREIGN_KEYS, [tables, createdInThisTransaction]);
  for (const row of foreignKeys) {
    const [columns, foreignColumns] = [textArray(row.columns), textArray(row.foreign_columns)];
    const paired = columns.some((c, i) => c === column(row.table_name) && foreignColumns[i] === column(row.foreign_table));
    if (!paired) problems.push({ kind: 'foreign-key', table: row.table_name, constraint: row.constraint_name, foreignTable: row.foreign_table });
  }
  return problems;
}

export function describeKeyProblem(problem: KeyProblem): string {
  return problem.kind === 'unique'
    ? `The unique index "${problem.index}" (${problem.columns.join(', ') || 'an expression'}) of "${problem.table}" does not include the workspace column: PostgreSQL enforces it across workspaces, so a duplicate-key error tells one workspace what another holds. Replace it in a migration with one led by workspace_id.`
    : `The foreign key "${problem.constraint}" from "${problem.table}" to "${problem.foreignTable}" does not carry the workspace column on both sides: a row could point at another workspace's row. Replace it in a migration with one on (workspace_id, …).`;
}
