import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE } from './isolation-settings.ts';
import { textArray } from './text-array.ts';

/** Something about the application role itself that would let it past row-level security. */
export type RoleProblem =
  | { readonly kind: 'missing-role' }
  | { readonly kind: 'attribute'; readonly attribute: 'SUPERUSER' | 'BYPASSRLS' | 'CREATEROLE' }
  | { readonly kind: 'member-of'; readonly role: string }
  | { readonly kind: 'owns'; readonly object: string; readonly objectKind: 'relation' | 'function' | 'type' | 'schema' }
  | { readonly kind: 'schema-create' };

interface RoleRow {
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  member_of: string[] | string | null;
  owns: [string, string][] | string | null;
  can_create: boolean;
}

/*
 * The role's attributes, the roles it inherits from, what it owns in this database (an owner
 * is not bound by row-level security unless it is forced, and may change or drop the object)
 * and whether it may create objects in the schema.
 */
const ROLE = `
SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole,
  ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of,
  (SELECT json_agg(json_build_array(kind, name)) FROM (
      SELECT 'relation' AS kind, c.relname::text AS name FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      UNION ALL SELECT 'function', p.oid::regprocedure::text FROM pg_proc p WHERE p.proowner = r.oid
      UNION ALL SELECT 'type', t.typname::text FROM pg_type t WHERE t.typowner = r.oid AND t.typrelid = 0 AND t.typelem = 0
      UNION ALL SELECT 'schema', n.nspname::text FROM pg_namespace n WHERE n.nspowner = r.oid) owned) AS owns,
  has_schema_privilege(r.oid, current_schema(), 'CREATE') AS can_create
FROM pg_roles r WHERE r.rolname = $1`;

export async function roleProblems(client: SqlClient): Promise<RoleProblem[]> {
  const [row] = await client.query<RoleRow>(ROLE, [APP_ROLE]);
  if (!row) return [{ kind: 'missing-role' }];
  const problems: RoleProblem[] = [];
  if (row.rolsuper) problems.push({ kind: 'attribute', attribute: 'SUPERUSER' });
  if (row.rolbypassrls) problems.push({ kind: 'attribute', attribute: 'BYPASSRLS' });
  // CREATEROLE may grant itself membership in a table owner's role, and through it bypass policies.
  if (row.rolcreaterole) problems.push({ kind: 'attribute', attribute: 'CREATEROLE' });
  for (const role of textArray(row.member_of)) problems.push({ kind: 'member-of', role });
  const owns = typeof row.owns === 'string' ? (JSON.parse(row.owns) as [string, string][]) : (row.owns ?? []);
  for (const [objectKind, object] of owns) problems.push({ kind: 'owns', object, objectKind: objectKind as 'relation' });
  if (row.can_create) problems.push({ kind: 'schema-create' });
  return problems;
}

/** Describes a role problem for a person. */
export function describeRoleProblem(problem: RoleProblem): string {
  switch (problem.kind) {
    case 'missing-role':
      return `the application role ${APP_ROLE} does not exist`;
    case 'attribute':
      return `the application role ${APP_ROLE} has ${problem.attribute}, which ${problem.attribute === 'CREATEROLE' ? 'lets it grant itself the rights of a table owner' : 'bypasses row-level security'}`;
    case 'member-of':
      return `the application role ${APP_ROLE} is a member of ${problem.role} and inherits its rights`;
    case 'owns':
      return `the application role ${APP_ROLE} owns the ${problem.objectKind} ${problem.object}; an owner can alter or drop it`;
    case 'schema-create':
      return `the application role ${APP_ROLE} may create objects in the schema`;
  }
}
