import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE } from '../isolation/isolation-settings.ts';
import { PACKAGE_ROLE_PREFIX } from '../package-roles/package-role.ts';
import { PIPELINE_TABLES } from '../pipeline-tables.ts';
import { CATALOG_FINGERPRINT } from './catalog-fingerprint.ts';
import type { ExpectedState } from './expected-state.ts';
import { HISTORY_TABLE } from './history.ts';
import { EPOCH_TABLE, TRIGGER_VERSIONS_SQL, type EpochMode } from './schema-epoch.ts';

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
 * the migrator running this check, no grant to anyone else, no row-level security (so no policy
 * applies to them), and no trigger or rewrite rule. A trigger or a rule on the epoch could mark
 * every epoch verified, or keep it from rising; a grant could let a package role or the
 * application rewrite the history. Read from the tables' own pg_class rows: four rows found by
 * index, constant cost. relhastriggers and relhasrules mean "has or once had": a trigger or rule
 * put there and dropped keeps the shortcut off (every no-op verifies everything) until a VACUUM of
 * that table clears the flag; the safe way to be wrong.
 */
const OWN_TABLES_CLEAN = `
  (SELECT bool_and(c.relowner = current_user::regrole::oid
       AND NOT (c.relrowsecurity OR c.relhastriggers OR c.relhasrules)
       AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner))
     FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN (${OWN_TABLES}))`;

/*
 * Defaults no event trigger sees (ALTER DATABASE … SET and ALTER ROLE … SET are cluster-wide
 * commands), which a role can write for itself: a `ydtb.*` setting for this database or all, or
 * any setting of the application's or a package's role. A small catalog, no package table read.
 * What only a superuser can change (package roles' attributes, event triggers) is left to the full
 * verification's inventory.
 */
const SETTINGS_CLEAN = `
  (NOT EXISTS (SELECT 1 FROM pg_db_role_setting s, unnest(s.setconfig) AS cfg
                WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
                  AND (starts_with(lower(cfg), 'ydtb.') OR pg_get_userbyid(s.setrole) = '${APP_ROLE}'
                       OR starts_with(pg_get_userbyid(s.setrole)::text, '${PACKAGE_ROLE_PREFIX}'))))`;

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
 * trigger, rule or row-level security, no ydtb or role default exists, and either no DDL committed since (the epoch, the
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
