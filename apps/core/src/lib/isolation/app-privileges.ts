import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE } from './isolation-settings.ts';
import { textArray } from './text-array.ts';
import { expectedPrivileges, packageOf, type RelationKind, type SecurityModel } from './security-model.ts';

/** A relation on which the application role holds other privileges than the registry expects. */
export interface PrivilegeProblem {
  readonly relation: string;
  readonly kind: RelationKind;
  readonly packageName?: string;
  /** What the role must hold: the grants a repair leaves in place. */
  readonly expected: readonly string[];
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

interface PrivilegeRow {
  name: string;
  relkind: string;
  owned_by: string | null;
  held: string[] | string;
}

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };

/*
 * The application role's effective privileges (its own grants, PUBLIC's and those of roles it is
 * a member of) on every prefixed relation of the schema and on any relation granted to it
 * directly, column grants included. A sequence comes with the table whose serial or identity
 * column owns it.
 */
const PRIVILEGES = `
WITH app AS (SELECT oid FROM pg_roles WHERE rolname = $1)
SELECT c.relname AS name, c.relkind::text AS relkind,
  (SELECT t.relname FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
    WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) AS owned_by,
  CASE WHEN c.relkind = 'S' THEN array_remove(ARRAY[
      CASE WHEN has_sequence_privilege(app.oid, c.oid, 'USAGE') THEN 'USAGE' END,
      CASE WHEN has_sequence_privilege(app.oid, c.oid, 'SELECT') THEN 'SELECT' END,
      CASE WHEN has_sequence_privilege(app.oid, c.oid, 'UPDATE') THEN 'UPDATE' END], NULL)
  ELSE array_remove(ARRAY[
      CASE WHEN has_table_privilege(app.oid, c.oid, 'SELECT') THEN 'SELECT'
           WHEN has_any_column_privilege(app.oid, c.oid, 'SELECT') THEN 'SELECT (columns)' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'INSERT') THEN 'INSERT'
           WHEN has_any_column_privilege(app.oid, c.oid, 'INSERT') THEN 'INSERT (columns)' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'UPDATE') THEN 'UPDATE'
           WHEN has_any_column_privilege(app.oid, c.oid, 'UPDATE') THEN 'UPDATE (columns)' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'DELETE') THEN 'DELETE' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'REFERENCES') THEN 'REFERENCES'
           WHEN has_any_column_privilege(app.oid, c.oid, 'REFERENCES') THEN 'REFERENCES (columns)' END,
      CASE WHEN has_table_privilege(app.oid, c.oid, 'TRIGGER') THEN 'TRIGGER' END], NULL)
  END AS held
FROM pg_class c CROSS JOIN app
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND (starts_with(c.relname, $2)
    OR EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee = app.oid)
    OR EXISTS (SELECT 1 FROM pg_attribute at CROSS JOIN LATERAL aclexplode(at.attacl) a WHERE at.attrelid = c.oid AND a.grantee = app.oid))`;

/** Relations where the application role's privileges differ from what the registry expects. */
export async function privilegeProblems(client: SqlClient, model: SecurityModel, prefix: string): Promise<PrivilegeProblem[]> {
  const rows = await client.query<PrivilegeRow>(PRIVILEGES, [APP_ROLE, prefix]);
  const problems: PrivilegeProblem[] = [];
  // No rows when the role does not exist yet: the role check reports that.
  for (const row of rows) {
    const kind = KINDS[row.relkind]!;
    const held = new Set(textArray(row.held));
    const expected = expectedPrivileges(model, { name: row.name, kind, ownedBy: row.owned_by });
    const missing = expected.filter((p) => !held.has(p));
    const extra = [...held].filter((p) => !expected.includes(p));
    if (missing.length || extra.length) {
      const packageName = packageOf(model, row.name) ?? (row.owned_by ? packageOf(model, row.owned_by) : undefined);
      problems.push({ relation: row.name, kind, ...(packageName ? { packageName } : {}), expected, missing, extra });
    }
  }
  return problems;
}
