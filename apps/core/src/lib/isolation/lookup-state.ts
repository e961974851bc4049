import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE, LOOKUP_ROLE } from './isolation-settings.ts';
import { LOOKUP_FUNCTION_PREFIX } from './lookup-name.ts';
import { quoteIdent } from './quote-ident.ts';
import type { LookupModel, SecurityModel } from './security-model.ts';
import { textArray } from './text-array.ts';

/** What is wrong with the workspace lookups' database objects, each with what restores it. */
export type LookupProblem =
  /** A declared lookup's function is missing, or is not exactly the pipeline's (body, owner, rights, settings, grants). */
  | { readonly kind: 'function'; readonly packageName: string; readonly object: string; readonly lookup: LookupModel; readonly fn: string; readonly schema: string; readonly what: string }
  /** A function owned by the lookup role that no package declares (a lookup removed, a package uninstalled). */
  | { readonly kind: 'undeclared-function'; readonly packageName?: undefined; readonly object: string }
  /** The lookup role holds a privilege the lookups do not need. */
  | { readonly kind: 'privilege'; readonly packageName?: undefined; readonly object: string; readonly table: string; readonly privilege: string }
  /** The lookup role logs in, bypasses row-level security, or is a member of a role. */
  | { readonly kind: 'role'; readonly packageName?: undefined; readonly object: string; readonly what: string; readonly fix: string };

/** The SQL body of a lookup function: an exact match on the key column, at most two rows read, two workspaces refused. */
export function lookupBody(schema: string, lookup: LookupModel): string {
  const table = `${quoteIdent(schema)}.${quoteIdent(lookup.table)}`;
  return `
DECLARE
  found text[];
BEGIN
  found := ARRAY(SELECT t.${quoteIdent(lookup.workspaceColumn)}::text FROM ${table} t WHERE t.${quoteIdent(lookup.column)}::text OPERATOR(pg_catalog.=) key LIMIT 2);
  IF pg_catalog.cardinality(found) > 1 THEN
    RAISE EXCEPTION 'workspace lookup % of % is ambiguous: the key is in more than one workspace', ${literal(lookup.lookup)}, ${literal(lookup.packageName)} USING ERRCODE = '21000';
  END IF;
  RETURN found[1];
END
`;
}

/** The search_path a lookup function runs with: PostgreSQL's own names first, nothing a package could shadow them with. */
const LOOKUP_SEARCH_PATH = 'search_path=pg_catalog, pg_temp';

/**
 * Creates (or replaces) a lookup's function as the migrator, gives it to the lookup role and lets
 * the application role alone run it. Idempotent.
 */
export function lookupFunctionSql(schema: string, name: string, lookup: LookupModel): string {
  const fn = `${quoteIdent(schema)}.${quoteIdent(name)}(text)`;
  return [
    `CREATE OR REPLACE FUNCTION ${quoteIdent(schema)}.${quoteIdent(name)}(key text) RETURNS text`,
    `  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp`,
    `  AS $ydtb_lookup$${lookupBody(schema, lookup)}$ydtb_lookup$;`,
    `ALTER FUNCTION ${fn} OWNER TO ${LOOKUP_ROLE};`,
    `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC;`,
    `GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE};`,
  ].join('\n');
}

interface FunctionRow {
  name: string;
  signature: string;
  owner: string;
  definer: boolean;
  source: string;
  config: string[] | string | null;
  volatile: string;
  strict: boolean;
  public_execute: boolean;
  app_execute: boolean;
  result: string;
}

const STATE = `
WITH r AS (SELECT oid, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication FROM pg_roles WHERE rolname = $1),
app AS (SELECT oid FROM pg_roles WHERE rolname = $2)
SELECT 'function' AS kind, json_build_object('name', p.proname, 'signature', p.oid::regprocedure::text, 'owner', pg_get_userbyid(p.proowner),
    'definer', p.prosecdef, 'source', p.prosrc, 'config', p.proconfig, 'volatile', p.provolatile, 'strict', p.proisstrict,
    'result', format_type(p.prorettype, NULL),
    'public_execute', EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'),
    'app_execute', EXISTS (SELECT 1 FROM app, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = app.oid AND a.privilege_type = 'EXECUTE')) AS o
  FROM pg_proc p LEFT JOIN r ON true
  WHERE p.pronamespace = current_schema()::regnamespace AND (p.proowner = r.oid OR p.proname = ANY($3::text[]) OR starts_with(p.proname, $4))
UNION ALL
SELECT 'table-grant', json_build_object('table', c.relname, 'privilege', a.privilege_type)
  FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a, r
  WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = r.oid
UNION ALL
SELECT 'column-grant', json_build_object('table', c.relname, 'column', at.attname, 'privilege', a.privilege_type)
  FROM pg_class c JOIN pg_attribute at ON at.attrelid = c.oid CROSS JOIN LATERAL aclexplode(at.attacl) a, r
  WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = r.oid
UNION ALL
SELECT 'role', json_build_object('login', r.rolcanlogin, 'attributes', ARRAY_REMOVE(ARRAY[
      CASE WHEN r.rolsuper THEN 'SUPERUSER' END, CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END, CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
      CASE WHEN r.rolcreatedb THEN 'CREATEDB' END, CASE WHEN r.rolreplication THEN 'REPLICATION' END], NULL),
    'memberOf', ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1),
    'schema', current_schema())
  FROM r
UNION ALL
SELECT 'table', json_build_object('name', c.relname)
  FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($5::text[])
UNION ALL
SELECT 'schema', json_build_object('schema', current_schema())`;

type Row = { kind: string; o: Record<string, unknown> | string };

/**
 * Reads the workspace lookups' objects against the model, in one query: each declared lookup's
 * function exactly as the pipeline writes it (body, owner, SECURITY DEFINER, search_path, no
 * PUBLIC, the application role may run it); no other function owned by the lookup role; the
 * lookup role reading only the key and workspace columns of lookup tables; the role itself
 * without LOGIN, attributes or memberships. Nothing to report when no lookup is declared and
 * the lookup role holds nothing.
 */
export async function lookupProblems(client: SqlClient, model: SecurityModel): Promise<LookupProblem[]> {
  const lookupTables = [...new Set([...model.lookups.values()].map((l) => l.table))];
  const rows = await client.query<Row>(STATE, [LOOKUP_ROLE, APP_ROLE, [...model.lookups.keys()], LOOKUP_FUNCTION_PREFIX, lookupTables]);
  const parsed = rows.map((r) => ({ kind: r.kind, o: (typeof r.o === 'string' ? JSON.parse(r.o) : r.o) as Record<string, unknown> }));
  const schema = String(parsed.find((r) => r.kind === 'schema')?.o.schema ?? 'public');
  const problems: LookupProblem[] = [];
  const functions = parsed.filter((r) => r.kind === 'function').map((r) => r.o as unknown as FunctionRow);
  const existing = new Set(parsed.filter((r) => r.kind === 'table').map((r) => String(r.o.name)));
  for (const [name, lookup] of model.lookups) {
    // A table not created yet is the catalog check's to report; its lookup is made once it exists.
    if (!existing.has(lookup.table)) continue;
    const found = functions.filter((f) => f.name === name);
    const what = found.length === 0 ? 'is missing' : functionDifference(found, schema, lookup);
    if (what) problems.push({ kind: 'function', packageName: lookup.packageName, object: `${name}(text)`, lookup, fn: name, schema, what });
  }
  for (const fn of functions) {
    if (!model.lookups.has(fn.name) && (fn.owner === LOOKUP_ROLE || fn.name.startsWith(LOOKUP_FUNCTION_PREFIX))) problems.push({ kind: 'undeclared-function', object: fn.signature });
  }
  const allowed = new Map<string, Set<string>>();
  for (const lookup of model.lookups.values()) {
    const columns = allowed.get(lookup.table) ?? new Set<string>();
    columns.add(lookup.column).add(lookup.workspaceColumn);
    allowed.set(lookup.table, columns);
  }
  for (const { kind, o } of parsed) {
    if (kind === 'table-grant') problems.push({ kind: 'privilege', object: String(o.table), table: String(o.table), privilege: String(o.privilege) });
    if (kind === 'column-grant' && !(o.privilege === 'SELECT' && allowed.get(String(o.table))?.has(String(o.column)))) {
      problems.push({ kind: 'privilege', object: `${o.table}.${o.column}`, table: String(o.table), privilege: `${o.privilege} (${o.column})` });
    }
    if (kind === 'role') {
      const attributes = [...(o.login ? ['LOGIN'] : []), ...textArray(o.attributes as string[] | string | null)];
      const memberOf = textArray(o.memberOf as string[] | string | null);
      if (attributes.length) problems.push({ kind: 'role', object: LOOKUP_ROLE, what: `has ${attributes.join(', ')}`, fix: `ALTER ROLE ${LOOKUP_ROLE} ${attributes.map((a) => `NO${a}`).join(' ')};` });
      for (const role of memberOf) problems.push({ kind: 'role', object: LOOKUP_ROLE, what: `is a member of ${role}`, fix: `REVOKE ${quoteIdent(role)} FROM ${LOOKUP_ROLE};` });
    }
  }
  return problems;
}

function functionDifference(found: readonly FunctionRow[], schema: string, lookup: LookupModel): string | undefined {
  if (found.length > 1) return `has ${found.length} overloads (${found.map((f) => f.signature).join(', ')})`;
  const fn = found[0]!;
  const config = textArray(fn.config);
  if (!/\(text\)$/.test(fn.signature) || fn.result !== 'text') return `takes or returns other types (${fn.signature} returns ${fn.result})`;
  if (fn.owner !== LOOKUP_ROLE) return `is owned by ${fn.owner}, not ${LOOKUP_ROLE}`;
  if (!fn.definer) return 'is not SECURITY DEFINER';
  if (fn.source !== lookupBody(schema, lookup)) return 'runs another body than the pipeline wrote';
  if (config.length !== 1 || config[0] !== LOOKUP_SEARCH_PATH) return `runs with other settings (${config.join('; ') || 'none'}) than ${LOOKUP_SEARCH_PATH}`;
  if (fn.volatile !== 's' || !fn.strict) return 'is not STABLE STRICT';
  if (fn.public_execute) return 'may be run by PUBLIC';
  if (!fn.app_execute) return `may not be run by ${APP_ROLE}`;
  return undefined;
}

export function describeLookupProblem(p: LookupProblem): string {
  const restore = 'Run ydtb db migrate to restore it.';
  switch (p.kind) {
    case 'function':
      return `The function ${p.object} behind workspace lookup "${p.lookup.lookup}" of ${p.packageName} (${p.lookup.table}.${p.lookup.column}) ${p.what}: it runs with the lookup role's rights across every workspace, so only the pipeline's exact match may run. ${restore}`;
    case 'undeclared-function':
      return `Function ${p.object} is owned by ${LOOKUP_ROLE} or named like a workspace lookup, but no package declares that lookup: it reads key columns across every workspace. Run ydtb db migrate to drop it.`;
    case 'privilege':
      return `The lookup role ${LOOKUP_ROLE} holds ${p.privilege} on "${p.table}": it may read only the key and workspace columns of the tables lookups are declared on. ${restore}`;
    case 'role':
      return `The lookup role ${LOOKUP_ROLE} ${p.what}: it owns functions that read across workspaces, so it must be NOLOGIN, hold no attribute and be a member of no role. ${restore} (or ${p.fix})`;
  }
}

/**
 * The statements that restore the lookups: each wrong or missing function written again; an
 * undeclared one dropped; privileges the lookup role should not hold revoked (a lookup table's
 * own grants are restored with its package's security); the role's attributes and memberships taken away.
 */
export function lookupRepairSql(problems: readonly LookupProblem[], model: SecurityModel): string[] {
  const statements: string[] = [];
  const revoked = new Set<string>();
  for (const p of problems) {
    if (p.kind === 'function') statements.push(lookupFunctionSql(p.schema, p.fn, p.lookup));
    else if (p.kind === 'undeclared-function') statements.push(`DROP FUNCTION ${p.object};`);
    else if (p.kind === 'privilege' && !revoked.has(p.table)) {
      revoked.add(p.table);
      const lookups = [...model.lookups.values()].filter((l) => l.table === p.table);
      const columns = [...new Set(lookups.flatMap((l) => [l.column, l.workspaceColumn]))].map(quoteIdent);
      statements.push(`REVOKE ALL ON TABLE ${quoteIdent(p.table)} FROM ${LOOKUP_ROLE};${columns.length ? ` GRANT SELECT (${columns.join(', ')}) ON TABLE ${quoteIdent(p.table)} TO ${LOOKUP_ROLE};` : ''}`);
    } else if (p.kind === 'role') statements.push(p.fix);
  }
  return statements;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
