import type { SqlClient } from '../database/sql-client.ts';
import { MIGRATION_POLICY_NAME, POLICY_NAME, WORKSPACE_SETTING, LOOKUP_POLICY_NAME, LOOKUP_ROLE } from './isolation-settings.ts';
import { migrationPredicate } from './policy-sql.ts';

/** What is wrong with a table's row-level security, if anything. */
export type PolicyProblem = 'missing-table' | 'rls-disabled' | 'rls-not-forced' | 'policy-missing' | 'policy-altered' | 'extra-policy';

export interface TableToSecure {
  readonly table: string;
  readonly workspaceColumn: string;
  /** The package's role: its migration policy applies to it alone. */
  readonly role: string;
  /** Key columns of the package's workspace lookups on this table: it then carries the lookup policy too. */
  readonly lookupColumns?: readonly string[];
}

/** A table whose row-level security is not as the pipeline sets it, and the other permissive policies to drop. */
export interface TablePolicyState {
  readonly problem: PolicyProblem;
  readonly extraPolicies: readonly string[];
}

interface PolicyRow {
  table_name: string;
  rls: boolean;
  forced: boolean;
  policy_name: string | null;
  permissive: string | null;
  roles: string | string[] | null;
  cmd: string | null;
  qual: string | null;
  with_check: string | null;
}

const POLICIES = `
SELECT c.relname AS table_name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
       p.policyname AS policy_name, p.permissive, p.roles::text[] AS roles, p.cmd, p.qual, p.with_check
FROM pg_class c
LEFT JOIN pg_policies p ON p.schemaname = current_schema() AND p.tablename = c.relname
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`;

/**
 * Reads the row-level security of the given tables from the catalog, in one query, and says
 * which are not exactly as the pipeline sets them up (a missing table, security off or not
 * forced, the policy missing or changed, or another policy that would widen what is visible).
 */
export async function policyProblems(client: SqlClient, tables: readonly TableToSecure[]): Promise<Map<string, TablePolicyState>> {
  const rows = tables.length ? await client.query<PolicyRow>(POLICIES, [tables.map((t) => t.table)]) : [];
  // Rows grouped by table once: filtering every row for every table is quadratic in tables.
  const byTable = new Map<string, PolicyRow[]>();
  for (const row of rows) {
    const list = byTable.get(row.table_name);
    if (list) list.push(row);
    else byTable.set(row.table_name, [row]);
  }
  const problems = new Map<string, TablePolicyState>();
  for (const { table, workspaceColumn, role, lookupColumns = [] } of tables) {
    const rows = byTable.get(table) ?? [];
    const lookup = lookupColumns.length > 0;
    const problem = problemOf(rows, workspaceColumn, role, lookup);
    if (problem) problems.set(table, { problem, extraPolicies: extraPermissive(rows, lookup) });
  }
  return problems;
}

function problemOf(rows: readonly PolicyRow[], workspaceColumn: string, role: string, lookup: boolean): PolicyProblem | undefined {
  const [first] = rows;
  if (!first) return 'missing-table';
  if (!first.rls) return 'rls-disabled';
  if (!first.forced) return 'rls-not-forced';
  const ours = rows.find((r) => r.policy_name === POLICY_NAME);
  const migration = rows.find((r) => r.policy_name === MIGRATION_POLICY_NAME);
  const lookupPolicy = rows.find((r) => r.policy_name === LOOKUP_POLICY_NAME);
  if (!ours || !migration || (lookup && !lookupPolicy)) return 'policy-missing';
  if (extraPermissive(rows, lookup).length) return 'extra-policy';
  const intact =
    isPolicy(ours, 'public', `(${workspaceColumn} = NULLIF(current_setting('${WORKSPACE_SETTING}', true), ''))`) &&
    isPolicy(migration, role, migrationPredicate(role)) &&
    (!lookupPolicy || isLookupPolicy(lookupPolicy));
  return intact ? undefined : 'policy-altered';
}

/** A permissive policy for every command, for `role` alone, whose USING and WITH CHECK are both `predicate`. */
function isPolicy(row: PolicyRow, role: string, predicate: string): boolean {
  const expected = normalisePredicate(predicate);
  const roles = Array.isArray(row.roles) ? row.roles : String(row.roles).replace(/[{}]/g, '').split(',');
  return (
    row.permissive === 'PERMISSIVE' &&
    row.cmd === 'ALL' &&
    roles.length === 1 &&
    roles[0] === role &&
    normalisePredicate(row.qual) === expected &&
    normalisePredicate(row.with_check) === expected
  );
}

/** The lookup policy: permissive, SELECT only, for the lookup role alone, every row (its grants limit the columns). */
function isLookupPolicy(row: PolicyRow): boolean {
  const roles = Array.isArray(row.roles) ? row.roles : String(row.roles).replace(/[{}]/g, '').split(',');
  return row.permissive === 'PERMISSIVE' && row.cmd === 'SELECT' && roles.length === 1 && roles[0] === LOOKUP_ROLE && normalisePredicate(row.qual) === 'true' && row.with_check === null;
}

/**
 * Permissive policies are OR-ed: any other one widens what a workspace sees. Restrictive ones
 * only narrow it, so a package may keep those. The lookup policy is expected only on a table
 * with a declared lookup.
 */
function extraPermissive(rows: readonly PolicyRow[], lookup: boolean): string[] {
  const expected = new Set([POLICY_NAME, MIGRATION_POLICY_NAME, ...(lookup ? [LOOKUP_POLICY_NAME] : [])]);
  return rows.flatMap((r) => (r.policy_name !== null && !expected.has(r.policy_name) && r.permissive === 'PERMISSIVE' ? [r.policy_name] : []));
}

/**
 * PostgreSQL deparses the predicate with quotes, casts and parentheses of its own: a `varchar`
 * workspace column reads `((workspace_id)::text = NULLIF(…))`, a text one `(workspace_id = NULLIF(…))`.
 * Compare without quotes, without casts to text or varchar (which change no value the comparison
 * sees), and without the parentheses a cast leaves around a bare column name.
 */
export function normalisePredicate(expression: string | null): string {
  let text = (expression ?? '')
    .replace(/"/g, '')
    .replace(/::(?:text|character varying(?:\(\d+\))?|varchar(?:\(\d+\))?)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // `(workspace_id)` → `workspace_id`, but never a call's argument list: `f(x)` stays.
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/(^|[^a-z0-9_$])\(([a-z_][a-z0-9_$]*)\)/g, '$1$2');
  }
  return text;
}
