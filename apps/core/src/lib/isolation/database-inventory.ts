import type { SqlClient } from '../database/sql-client.ts';
import type { Drift } from '../migrations/drift.ts';
import { EPOCH_TRIGGERS } from '../migrations/schema-epoch.ts';
import { isPipelineTable, PIPELINE_TABLES } from '../pipeline-tables.ts';
import { APP_ROLE, LOOKUP_ROLE } from './isolation-settings.ts';
import { isPackageRole, PACKAGE_ROLE_PREFIX } from '../package-roles/package-role.ts';
import { quoteIdent } from './quote-ident.ts';
import { packageOf, type SecurityModel } from './security-model.ts';
import { textArray } from './text-array.ts';

/*
 * The inventory of the whole database, beyond the one schema the other checks read: what no
 * package declares and what could read or write package rows, ydtb's own rows or the
 * application role's settings from outside the checks. One query, one snapshot: each branch is one
 * kind of object, read for all packages at once; the decisions that need the registry are made here.
 *
 * Other schemas are those that are not the current one, not PostgreSQL's own (pg_catalog,
 * information_schema, pg_toast*, pg_temp*) and not an extension's. `public` is reported only
 * through what it holds: PostgreSQL makes it in every database.
 */
const INVENTORY = `
WITH here AS (
  SELECT current_schema()::regnamespace::oid AS nsp, current_schema() AS schema,
    (SELECT oid FROM pg_database WHERE datname = current_database()) AS db,
    (SELECT oid FROM pg_roles WHERE rolname = $1) AS app
), others AS (
  SELECT n.oid, n.nspname, n.nspowner FROM pg_namespace n, here
  WHERE n.oid <> here.nsp AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND NOT starts_with(n.nspname, 'pg_toast') AND NOT starts_with(n.nspname, 'pg_temp_')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
)
SELECT 'schema' AS kind, json_build_object('name', o.nspname, 'owner', pg_get_userbyid(o.nspowner), 'here', (SELECT schema FROM here)) AS o
  FROM others o WHERE o.nspname <> 'public'
UNION ALL
SELECT 'function', json_build_object('name', p.oid::regprocedure::text, 'owner', pg_get_userbyid(p.proowner), 'definer', p.prosecdef)
  FROM pg_proc p JOIN others o ON o.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'view', json_build_object('name', c.oid::regclass::text, 'owner', pg_get_userbyid(c.relowner), 'materialized', c.relkind = 'm')
  FROM pg_class c JOIN others o ON o.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger', json_build_object('name', t.tgname, 'table', c.relname, 'qualified', c.oid::regclass::text,
    'tableHere', c.relnamespace = here.nsp, 'function', p.oid::regprocedure::text, 'functionName', p.proname,
    'functionHere', p.pronamespace = here.nsp, 'definer', p.prosecdef)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid, here
  WHERE NOT t.tgisinternal
    AND (c.relnamespace IN (SELECT oid FROM others) OR (c.relnamespace = here.nsp AND starts_with(c.relname, $2)))
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'event-trigger', json_build_object('name', e.evtname, 'event', e.evtevent, 'function', e.evtfoid::regprocedure::text)
  FROM pg_event_trigger e
  WHERE e.evtname <> ALL ($3::text[])
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = e.oid AND d.deptype = 'e')
UNION ALL
SELECT 'policy', json_build_object('name', p.polname, 'table', c.relname)
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid, here
  WHERE c.relnamespace = here.nsp AND starts_with(c.relname, $2)
UNION ALL
SELECT 'setting', json_build_object('database', d.datname, 'role', r.rolname, 'setting', cfg)
  FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole,
    unnest(s.setconfig) AS cfg, here
  WHERE s.setdatabase IN (0, here.db)
    AND (starts_with(lower(cfg), 'ydtb.') OR r.rolname = $1 OR r.rolname = $6 OR starts_with(r.rolname, $4))
UNION ALL
SELECT 'default-privileges', json_build_object('role', pg_get_userbyid(a.defaclrole), 'schema', n.nspname, 'objects', a.defaclobjtype, 'acl', a.defaclacl::text,
    'grantees', ARRAY(SELECT DISTINCT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END
                      FROM aclexplode(a.defaclacl) x WHERE x.grantee = 0 OR x.grantee = here.app ORDER BY 1))
  FROM pg_default_acl a LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace, here
  WHERE starts_with(pg_get_userbyid(a.defaclrole), $4)
     OR (a.defaclnamespace IN (0, here.nsp) AND EXISTS (SELECT 1 FROM aclexplode(a.defaclacl) x WHERE x.grantee = 0 OR x.grantee = here.app))
UNION ALL
-- Relations a package role owns here (a serial's sequence goes with its table), and any schema one owns.
SELECT 'owned', json_build_object('kind', CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END,
    'name', c.relname, 'owner', r.rolname)
  FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner, here
  WHERE c.relnamespace = here.nsp AND starts_with(r.rolname, $4) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
-- SECURITY DEFINER functions a package role owns here: the only functions the registry says whose they are.
SELECT 'owned', json_build_object('kind', 'function', 'name', p.proname, 'signature', p.oid::regprocedure::text, 'owner', pg_get_userbyid(p.proowner))
  FROM pg_proc p, here
  WHERE p.pronamespace = here.nsp AND p.prosecdef AND starts_with(pg_get_userbyid(p.proowner)::text, $4)
UNION ALL
SELECT 'owned', json_build_object('kind', 'schema', 'name', n.nspname, 'owner', r.rolname)
  FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
  WHERE starts_with(r.rolname, $4)
UNION ALL
-- ydtb's own tables: whose they are, who else was granted anything on them, whether row-level security is on.
SELECT 'own-table', json_build_object('name', c.relname, 'owner', pg_get_userbyid(c.relowner), 'rls', c.relrowsecurity,
    'grants', ARRAY(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
                    FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner ORDER BY 1))
  FROM pg_class c, here
  WHERE c.relnamespace = here.nsp AND c.relname = ANY ($5::text[])
UNION ALL
SELECT 'package-role', json_build_object('name', r.rolname, 'attributes', ARRAY_REMOVE(ARRAY[
      CASE WHEN r.rolsuper THEN 'SUPERUSER' END, CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END,
      CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END, CASE WHEN r.rolcreatedb THEN 'CREATEDB' END,
      CASE WHEN r.rolreplication THEN 'REPLICATION' END], NULL),
    'memberOf', ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1))
  FROM pg_roles r
  WHERE starts_with(r.rolname, $4)
    AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
         OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid))`;

type Row = { kind: string; o: Fields | string };

/** The fields the query's branches build (each branch fills those of its kind); arrays may come as text. */
interface Fields {
  readonly name: string;
  readonly owner: string;
  readonly here: string;
  readonly definer: boolean;
  readonly materialized: boolean;
  readonly table: string;
  readonly qualified: string;
  readonly tableHere: boolean;
  readonly function: string;
  readonly functionName: string;
  readonly functionHere: boolean;
  readonly event: string;
  readonly database: string | null;
  readonly role: string | null;
  readonly setting: string;
  readonly schema: string | null;
  readonly objects: string;
  readonly acl: string;
  readonly grantees: readonly string[] | string | null;
  readonly kind: string;
  readonly attributes: readonly string[] | string | null;
  readonly memberOf: readonly string[] | string | null;
  readonly signature: string;
  readonly rls: boolean;
  readonly grants: readonly string[] | string | null;
}

/**
 * Everything in the database that no package declares and that the one-schema checks cannot
 * see, as drift: schemas other than the current one; functions and views in them; triggers in
 * them, on ydtb's own tables, or on the registry's tables running a function from elsewhere or
 * an undeclared SECURITY DEFINER one; event triggers other than the schema epoch's; policies on
 * tables that are not package tables with a workspace; database- and role-level defaults of
 * ydtb's settings, and any default of the application role's, the lookup role's or a package role's; default
 * privileges that give the application role or PUBLIC anything, or that a package role defined;
 * objects a package role owns that are not its package's; package roles with attributes or
 * memberships. Read-only, one round trip.
 */
export async function databaseInventory(client: SqlClient, model: SecurityModel): Promise<Drift[]> {
  const rows = await client.query<Row>(INVENTORY, [APP_ROLE, model.prefix, Object.keys(EPOCH_TRIGGERS), PACKAGE_ROLE_PREFIX, Object.values(PIPELINE_TABLES), LOOKUP_ROLE]);
  const drift: Drift[] = [];
  for (const row of rows) {
    const o = (typeof row.o === 'string' ? JSON.parse(row.o) : row.o) as Fields;
    const found = describe(row.kind, o, model);
    if (found) drift.push(found);
  }
  return drift.sort((a, b) => a.kind.localeCompare(b.kind) || a.table.localeCompare(b.table));
}

function describe(kind: string, o: Fields, model: SecurityModel): Drift | undefined {
  switch (kind) {
    case 'schema':
      return {
        kind: 'schema',
        table: o.name,
        message: `Schema "${o.name}" (owned by ${o.owner}) is not the schema the registry migrates ("${o.here}") and no package declares it: what it holds escapes every other check (a function there can run as its owner and copy rows). Check what it holds, then drop it: DROP SCHEMA ${quoteIdent(o.name)} CASCADE.`,
      };
    case 'function':
      return {
        kind: 'foreign-object',
        table: o.name,
        message: `Function ${o.name}${o.definer ? ', SECURITY DEFINER (it runs with the rights of its owner ' + o.owner + ')' : ` (owned by ${o.owner})`}, is outside the schema the registry migrates and no package declares it: a package table's trigger, a view or a grant can reach package rows through it. Drop it: DROP FUNCTION ${o.name}.`,
      };
    case 'view':
      return {
        kind: 'foreign-object',
        table: o.name,
        message: `${o.materialized ? 'Materialized view' : 'View'} ${o.name} (owned by ${o.owner}) is outside the schema the registry migrates and no package declares it: it can read package rows with its owner's rights. Drop it: DROP ${o.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${o.name}.`,
      };
    case 'trigger':
      return triggerDrift(o, model);
    case 'event-trigger':
      return {
        kind: 'event-trigger',
        table: o.name,
        message: `Event trigger "${o.name}" (on ${o.event}, running ${o.function}) is not one of the schema epoch's and no package declares it: it runs on every schema change, a migration's included, with its function's rights. Drop it: DROP EVENT TRIGGER ${quoteIdent(o.name)}.`,
      };
    case 'policy': {
      if (model.tenantTables.has(o.table)) return undefined; // checked by the policy state
      const whose = isPipelineTable(o.table) ? "ydtb's own table" : packageOf(model, o.table) ? 'a global table of ' + packageOf(model, o.table) : 'a table that is not a package table with a workspace';
      return {
        kind: 'policy',
        ...packageName(model, o.table),
        table: o.table,
        message: `Policy "${o.name}" on "${o.table}" (${whose}) is declared by no package: only package tables with a workspace carry the isolation policy. Drop it: DROP POLICY ${quoteIdent(o.name)} ON ${quoteIdent(o.table)}.`,
      };
    }
    case 'setting':
      return settingDrift(o);
    case 'default-privileges':
      return defaultPrivilegesDrift(o);
    case 'owned':
      return ownershipDrift(o, model);
    case 'own-table':
      return ownTableDrift(o);
    case 'package-role': {
      const problems = [...textArray(o.attributes), ...textArray(o.memberOf).map((r) => `membership in ${r}`)];
      return {
        kind: 'package-role',
        table: o.name,
        message: `Package role ${o.name} has ${problems.join(', ')}: a package role holds no attribute and is a member of no role, so its package's SQL cannot step outside its own objects. Take them away: ${[
          ...textArray(o.attributes).map((a) => `ALTER ROLE ${quoteIdent(o.name)} NO${a}`),
          ...textArray(o.memberOf).map((r) => `REVOKE ${quoteIdent(r)} FROM ${quoteIdent(o.name)}`),
        ].join('; ')}.`,
      };
    }
    default:
      return undefined;
  }
}

function triggerDrift(o: Fields, model: SecurityModel): Drift | undefined {
  const table: string = o.table;
  const name = `${o.name} on ${o.qualified}`;
  const drop = `DROP TRIGGER ${quoteIdent(o.name)} ON ${o.qualified}`;
  let why: string;
  if (!o.tableHere) why = 'its table is outside the schema the registry migrates';
  else if (isPipelineTable(table)) why = `it is on ydtb's own table, which only the migrator writes (the history, the repairs and erasures audits and the schema epoch's record)`;
  else if (!o.functionHere) why = `its function ${o.function} is outside the schema the registry migrates`;
  else if (o.definer && !model.definers.has(o.functionName)) why = `its function ${o.function} is SECURITY DEFINER (it runs with its owner's rights, past row-level security) and no package declares it`;
  else return undefined;
  return {
    kind: 'trigger',
    ...packageName(model, table),
    table: name,
    message: `Trigger "${o.name}" on ${o.qualified} runs ${o.function}, and ${why}: it can copy or change rows on every write. Drop it (${drop}), or ship it in a package migration with a SECURITY INVOKER function of the package.`,
  };
}

function settingDrift(o: Fields): Drift {
  const setting: string = o.setting;
  const parameter = setting.slice(0, setting.indexOf('='));
  const database: string | null = o.database;
  const role: string | null = o.role;
  const where = role
    ? `role ${role}${database ? ` in database ${database}` : ' in every database'}`
    : database
      ? `database ${database}`
      : 'every database';
  const reset = role
    ? `ALTER ROLE ${quoteIdent(role)}${database ? ` IN DATABASE ${quoteIdent(database)}` : ''} RESET ${parameter}`
    : `ALTER DATABASE ${quoteIdent(database ?? '')} RESET ${parameter}`;
  const why = parameter.toLowerCase().startsWith('ydtb.')
    ? 'a session that sets no workspace starts with it, and reads and writes that workspace\'s rows'
    : `the ${role === APP_ROLE || role === LOOKUP_ROLE || (role && isPackageRole(role)) ? 'role' : 'database'} is ydtb's, and a default changes what its sessions run as or resolve names to`;
  return {
    kind: 'role-setting',
    table: `${where}: ${parameter}`,
    message: `A default of ${setting} is set for ${where}: ${why}. Remove it: ${reset}.`,
  };
}

const OBJECT_TYPES: Record<string, string> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

function defaultPrivilegesDrift(o: Fields): Drift {
  const role = o.role ?? '';
  const schema: string | null = o.schema;
  const objects = OBJECT_TYPES[o.objects] ?? o.objects;
  const grantees = textArray(o.grantees);
  const scope = schema ? ` IN SCHEMA ${quoteIdent(schema)}` : '';
  const why = isPackageRole(role)
    ? `a package role defined it: privileges on objects it creates are the pipeline's to give`
    : `new ${objects} would be open to ${grantees.join(' and ')} before any verification`;
  const fix = grantees.length
    ? `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)}${scope} REVOKE ALL ON ${objects.toUpperCase()} FROM ${grantees.map((g) => (g === 'PUBLIC' ? g : quoteIdent(g))).join(', ')}`
    : `reverse each ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)}${scope} … ON ${objects.toUpperCase()} until the entry (${o.acl}) matches PostgreSQL's built-in default and disappears`;
  return {
    kind: 'default-privileges',
    table: `${role}${schema ? ` in ${schema}` : ''}: ${objects}`,
    message: `Default privileges of ${role}${schema ? ` in schema ${schema}` : ''} on ${objects}${grantees.length ? ` give ${grantees.join(', ')} rights` : ` (${o.acl})`}: ${why}. Remove them: ${fix}.`,
  };
}

/**
 * An object a package role owns that no package declares (a declared one owned by the wrong role
 * is the security state's `owner` problem, which migrate gives back).
 */
function ownershipDrift(o: Fields, model: SecurityModel): Drift | undefined {
  const owner: string = o.owner;
  const name: string = o.name;
  const kind: string = o.kind;
  if (kind === 'function') return undefined; // Only declared definers are read, and an undeclared definer is the function check's.
  if (kind !== 'schema' && packageOf(model, name)) return undefined;
  return {
    kind: 'ownership',
    table: name,
    message: `The ${kind} "${name}" is owned by the package role ${owner}, but no package declares it: an owner may alter or drop it, switch its row-level security off and change what it holds. Drop it, or give it to the migrator: ALTER ${kind.toUpperCase()} ${quoteIdent(name)} OWNER TO CURRENT_USER.`,
  };
}

/**
 * ydtb's own tables are the migrator's alone: no other role may read or write the history and the
 * audits, and the no-op shortcut trusts the epoch's record only while that holds (it checks the
 * same, and verifies everything otherwise). A table owned by another role that is neither the
 * application's nor a package's (a former migrator) is left alone: only the shortcut notices.
 */
function ownTableDrift(o: Fields): Drift | undefined {
  const grants = textArray(o.grants);
  const writableOwner = o.owner === APP_ROLE || isPackageRole(o.owner);
  if (grants.length === 0 && !o.rls && !writableOwner) return undefined;
  const table = quoteIdent(o.name);
  const problems = [
    ...(writableOwner ? [`it is owned by ${o.owner}`] : []),
    ...(grants.length ? [`${grants.join(', ')} ${grants.length === 1 ? 'holds' : 'hold'} rights on it`] : []),
    ...(o.rls ? ['row-level security is on, so a policy can hide or let through its rows'] : []),
  ];
  const fixes = [
    ...(writableOwner ? [`ALTER TABLE ${table} OWNER TO <the migrator>`] : []),
    ...(grants.length ? [`REVOKE ALL ON ${table} FROM ${grants.map((g) => (g === 'PUBLIC' ? g : quoteIdent(g))).join(', ')}`] : []),
    ...(o.rls ? [`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`] : []),
  ];
  return {
    kind: 'own-table',
    table: o.name,
    message: `ydtb's own table "${o.name}" is the migrator's alone, but ${problems.join(', and ')}: its rows (history, audits, the verification record) could be rewritten or hidden, and every no-op migrate verifies everything until it is put right. ${fixes.join('; ')}.`,
  };
}

function packageName(model: SecurityModel, relation: string): { packageName?: string } {
  const name = packageOf(model, relation);
  return name ? { packageName: name } : {};
}
