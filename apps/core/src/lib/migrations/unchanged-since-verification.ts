import type { SqlClient } from '../database/sql-client';
import { APP_ROLE } from '../isolation/isolation-settings';
import { PACKAGE_ROLE_PREFIX } from '../isolation/package-role';
import { PIPELINE_TABLES } from '../pipeline-tables';
import { CATALOG_FINGERPRINT } from './catalog-fingerprint';
import type { ExpectedState } from './expected-state';
import { HISTORY_TABLE } from './history';
import { EPOCH_TABLE, EPOCH_TRIGGERS, TRIGGER_VERSIONS_SQL, type EpochMode } from './schema-epoch';

/** How a no-op knew the database is as verified: by the schema epoch, or by the catalog fingerprint. */
export type Shortcut = 'schema-epoch' | 'catalog-fingerprint';

interface CheckRow {
  mode: EpochMode;
  epoch: string;
  verified_epoch: string | null;
  triggers: string | null;
  verified_triggers: string | null;
  fingerprint: string | null;
  verified_fingerprint: string | null;
  verified_registry: string | null;
  history: string | null;
  role_clean: boolean | null;
  own_clean: boolean | null;
  settings_clean: boolean | null;
}

const OWN_TABLES = Object.values(PIPELINE_TABLES).map((t) => `'${t}'`).join(', ');

/*
 * ydtb's own tables (history, repairs, epoch, erasures), which the shortcut trusts: each owned by
 * the migrator running this check, no grant to anyone else, no row-level security, no trigger, rule
 * or policy. A trigger on the epoch could mark every epoch verified; a grant could let a package
 * role or the application rewrite the history. Four pg_class rows and an index probe each into
 * pg_trigger, pg_rewrite and pg_policy: constant cost. Anything else: verify everything.
 */
const OWN_TABLES_CLEAN = `
  (SELECT bool_and(c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
       AND NOT c.relrowsecurity
       AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)
       AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal)
       AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
     FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN (${OWN_TABLES}))`;

/*
 * What no event trigger sees, because it is cluster-wide or about event triggers themselves:
 * a database- or role-level default of a ydtb setting or of the application's or a package's
 * role (ALTER DATABASE/ROLE … SET), a package role given attributes or a membership, an event
 * trigger other than the epoch's. Small catalogs (settings, roles, event triggers): no package
 * table is read.
 */
const SETTINGS_CLEAN = `
  (NOT EXISTS (SELECT 1 FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS cfg
                WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
                  AND (starts_with(lower(cfg), 'ydtb.') OR r.rolname = '${APP_ROLE}' OR starts_with(r.rolname, '${PACKAGE_ROLE_PREFIX}')))
   AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE starts_with(r.rolname, '${PACKAGE_ROLE_PREFIX}')
                     AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
                          OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)))
   AND NOT EXISTS (SELECT 1 FROM pg_event_trigger t WHERE t.evtname NOT IN (${Object.keys(EPOCH_TRIGGERS).map((n) => `'${n}'`).join(', ')})
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = t.oid AND d.deptype = 'e')))`;

/*
 * One round trip, one snapshot (two without the triggers): the epoch row, the triggers' versions (or, without them, the
 * catalog fingerprint), a hash of the history, and the application role, whose attributes and
 * memberships no event trigger sees (role commands are cluster-wide): one row of pg_roles, its
 * memberships and what it owns here (pg_shdepend, by index), all constant cost.
 */
const check = (mode: EpochMode) => `
SELECT e.mode, e.epoch::text AS epoch, e.verified_epoch::text AS verified_epoch,
  ${mode === 'trigger' ? TRIGGER_VERSIONS_SQL : 'NULL::text'} AS triggers, e.verified_triggers,
  ${mode === 'fingerprint' ? CATALOG_FINGERPRINT : 'NULL::text'} AS fingerprint, e.verified_fingerprint,
  e.verified_registry,
  (SELECT encode(sha256(convert_to(string_agg(h.line, E'\\n' ORDER BY h.line COLLATE "C"), 'UTF8')), 'hex')
     FROM (SELECT package_name || E'\\t' || migration_id || E'\\t' || checksum AS line FROM ${HISTORY_TABLE}) h) AS history,
  (SELECT NOT (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole)
      AND NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
      AND NOT EXISTS (SELECT 1 FROM pg_shdepend s WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = r.oid AND s.deptype = 'o'
                        AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
      AND NOT has_schema_privilege(r.oid, current_schema(), 'CREATE')
     FROM pg_roles r WHERE r.rolname = '${APP_ROLE}') AS role_clean,
  ${OWN_TABLES_CLEAN} AS own_clean,
  ${SETTINGS_CLEAN} AS settings_clean
FROM ${EPOCH_TABLE} e`;
/* Planning the fingerprint's query alone costs more than the whole check: only the fallback pays it. */
const CHECKS: Record<EpochMode, string> = { trigger: check('trigger'), fingerprint: check('fingerprint') };

/**
 * Whether the database is exactly as the last clean full verification left it, for the registry
 * `expected`: the history holds exactly the registry's migrations, the registry is the one
 * verified, the application role is clean, ydtb's own tables are the migrator's alone and carry no
 * trigger, rule or policy, no ydtb or role default, package role attribute or stray event trigger
 * exists, and either no DDL committed since (the epoch, the
 * triggers intact and unchanged) or the catalog fingerprint is the same. `undefined` when
 * anything differs or cannot be read (no epoch table yet, no record): verify everything.
 */
export async function unchangedSinceVerification(client: SqlClient, expected: ExpectedState): Promise<Shortcut | undefined> {
  let row: CheckRow | undefined;
  try {
    [row] = await client.query<CheckRow>(CHECKS.trigger, [null]);
    // Without the triggers, a second round trip reads everything again with the fingerprint, in its own snapshot.
    if (row?.mode === 'fingerprint') [row] = await client.query<CheckRow>(CHECKS.fingerprint);
  } catch {
    // The tables do not exist yet, or the catalog could not be read: the full path says why, if it matters.
    return undefined;
  }
  if (!row || row.verified_registry !== expected.registry || row.history !== expected.history || row.role_clean !== true || row.own_clean !== true || row.settings_clean !== true) {
    return undefined;
  }
  if (row.mode === 'trigger') {
    const unchanged = row.triggers !== null && row.triggers === row.verified_triggers && row.epoch === row.verified_epoch;
    return unchanged ? 'schema-epoch' : undefined;
  }
  return row.fingerprint !== null && row.fingerprint === row.verified_fingerprint ? 'catalog-fingerprint' : undefined;
}
