import { PIPELINE_TABLES } from '../pipeline-tables.ts';
import { createHash } from 'node:crypto';
import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { CATALOG_FINGERPRINT } from './catalog-fingerprint.ts';
import type { Drift } from './drift.ts';

/**
 * The schema epoch: one row the pipeline owns, whose `epoch` a DDL event trigger raises in every
 * transaction that changes the schema (GRANT and REVOKE included), and the record of the last
 * clean full verification. A no-op migrate skips the full verification only when nothing it can
 * see changed since that record (see `unchanged-since-verification.ts`).
 */
export const EPOCH_TABLE = PIPELINE_TABLES.epoch;
export const EPOCH_FUNCTION = 'ydtb_schema_epoch_bump';
/** One trigger for each event: `ddl_command_end` (created, altered, granted) and `sql_drop`. */
export const EPOCH_TRIGGERS = { ydtb_schema_epoch_ddl: 'ddl_command_end', ydtb_schema_epoch_drop: 'sql_drop' } as const;

/**
 * How a no-op migrate knows nothing changed: `trigger`, the event trigger raises the epoch (it
 * needs a superuser to create); `fingerprint`, a fingerprint of the catalog rows verification
 * reads, compared with the one taken at the last clean verification.
 */
export type EpochMode = 'trigger' | 'fingerprint';

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS ${EPOCH_TABLE} (
  id                   boolean     PRIMARY KEY DEFAULT true CHECK (id),
  epoch                bigint      NOT NULL DEFAULT 0,
  mode                 text        NOT NULL DEFAULT 'fingerprint' CHECK (mode IN ('trigger', 'fingerprint')),
  verified_epoch       bigint,
  verified_triggers    text,
  verified_fingerprint text,
  verified_registry    text,
  verified_at          timestamptz
);
INSERT INTO ${EPOCH_TABLE} (id) VALUES (true) ON CONFLICT (id) DO NOTHING`;

/**
 * The trigger function's body, with the epoch table's schema spelled out. It runs as its owner,
 * the migrator (SECURITY DEFINER, with a fixed search_path): any role's schema change raises the
 * epoch, without that role holding any right on the epoch table. An event trigger function cannot
 * be called by anyone; it only runs when DDL fires it, so its owner's rights give nothing away.
 * - Changes to temporary objects only are not counted (sessions may make temp tables freely).
 * - A command that collected nothing (CREATE … IF NOT EXISTS of an existing object) is counted;
 *   a DROP's objects are counted by sql_drop.
 * - One raise a transaction: the row already written by this transaction is left alone.
 */
export function epochFunctionBody(schema: string): string {
  const table = `${quoteIdent(schema)}.${EPOCH_TABLE}`;
  return `
DECLARE
  counted boolean;
BEGIN
  IF to_regclass('${table.replace(/'/g, "''")}') IS NULL THEN
    RETURN;
  END IF;
  -- Raised already by this transaction: nothing more to do (the common case inside a migration).
  IF EXISTS (SELECT 1 FROM ${table} WHERE xmin = pg_current_xact_id()::xid) THEN
    RETURN;
  END IF;
  IF TG_EVENT = 'sql_drop' THEN
    SELECT coalesce(bool_or(NOT is_temporary), false) INTO counted FROM pg_event_trigger_dropped_objects();
  ELSE
    SELECT CASE WHEN count(*) > 0 THEN bool_or(schema_name IS DISTINCT FROM 'pg_temp')
                WHEN TG_TAG LIKE 'DROP %' THEN false END
      INTO counted FROM pg_event_trigger_ddl_commands();
  END IF;
  IF counted IS NOT DISTINCT FROM false THEN
    RETURN;
  END IF;
  UPDATE ${table} SET epoch = epoch + 1;
END`;
}

function installSql(schema: string): string {
  const fn = `${quoteIdent(schema)}.${EPOCH_FUNCTION}()`;
  return [
    ...Object.keys(EPOCH_TRIGGERS).map((name) => `DROP EVENT TRIGGER IF EXISTS ${name};`),
    `DROP FUNCTION IF EXISTS ${fn};`,
    `CREATE FUNCTION ${fn} RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $ydtb_epoch$${epochFunctionBody(schema)}$ydtb_epoch$;`,
    `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC;`,
    ...Object.entries(EPOCH_TRIGGERS).flatMap(([name, event]) => [
      `CREATE EVENT TRIGGER ${name} ON ${event} EXECUTE FUNCTION ${fn};`,
      // ALWAYS: it fires under session_replication_role = replica too.
      `ALTER EVENT TRIGGER ${name} ENABLE ALWAYS;`,
    ]),
  ].join('\n');
}

const TRIGGER_NAMES = Object.keys(EPOCH_TRIGGERS).map((n) => `'${n}'`).join(', ');

/**
 * The triggers' catalog rows and their function's, as one string, or NULL unless both triggers
 * exist, fire always, for every command, and run the expected body as SECURITY DEFINER. Any
 * change to them (ALTER EVENT TRIGGER … DISABLE and back, CREATE OR REPLACE FUNCTION) gives
 * the rows new versions (xmin), so the string differs from the recorded one.
 */
const TRIGGER_VERSIONS = `
(SELECT CASE WHEN count(*) = 2 AND count(DISTINCT p.oid) = 1
               AND bool_and(t.evtenabled = 'A' AND t.evttags IS NULL AND p.prosecdef AND p.proname = '${EPOCH_FUNCTION}'
                            AND ($1::text IS NULL OR md5(p.prosrc) = $1::text))
             THEN string_agg(t.evtname || ':' || t.evtevent || ':' || t.xmin::text || ':' || p.oid::text || ':' || p.xmin::text, ',' ORDER BY t.evtname) END
   FROM pg_event_trigger t JOIN pg_proc p ON p.oid = t.evtfoid
  WHERE t.evtname IN (${TRIGGER_NAMES}))`;

/** The same, for the one-round-trip check of a no-op (`$1` the body's md5, or NULL: the versions alone tell a change). */
export const TRIGGER_VERSIONS_SQL = TRIGGER_VERSIONS;

export interface EpochSetup {
  readonly mode: EpochMode;
  /** The body the trigger function must have (its md5 is checked whenever a verification is recorded). */
  readonly bodyMd5: string;
  /** The triggers were there before, damaged or gone, and were put back. */
  readonly restored: readonly Drift[];
}

interface SetupRow {
  schema: string;
  superuser: boolean;
  mode: EpochMode;
  present: number;
}

/**
 * Makes the epoch table and, when the migrating role is a superuser (event triggers need one),
 * the trigger function and both event triggers, putting back whatever is missing, disabled or
 * changed. Without a superuser, triggers someone else made intact are used; otherwise the
 * fallback is the catalog fingerprint. Runs under the migration lock.
 */
export async function ensureSchemaEpoch(client: SqlClient): Promise<EpochSetup> {
  await client.exec(CREATE_TABLE);
  const [row] = await client.query<SetupRow>(
    `SELECT current_schema() AS schema, e.mode,
       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
       (SELECT count(*)::int FROM pg_event_trigger WHERE evtname IN (${TRIGGER_NAMES})) AS present
     FROM ${EPOCH_TABLE} e`,
  );
  const { schema, superuser, present } = row!;
  const bodyMd5 = bodyMd5Of(schema);
  const [versions] = await client.query<{ triggers: string | null }>(`SELECT ${TRIGGER_VERSIONS} AS triggers`, [bodyMd5]);
  const restored: Drift[] = [];
  let mode: EpochMode = versions!.triggers !== null ? 'trigger' : 'fingerprint';
  if (mode === 'fingerprint' && superuser) {
    await client.exec(installSql(schema));
    mode = 'trigger';
    if (row!.mode === 'trigger' || present > 0) {
      restored.push({
        kind: 'schema-epoch',
        table: EPOCH_TABLE,
        message: `The event triggers that record schema changes (${Object.keys(EPOCH_TRIGGERS).join(', ')}) were missing, disabled or changed; they were made again, and this run verified the whole catalog.`,
      });
    }
  }
  if (mode !== row!.mode) await client.query(`UPDATE ${EPOCH_TABLE} SET mode = $1, verified_epoch = NULL`, [mode]);
  return { mode, bodyMd5, restored };
}

/** The md5 PostgreSQL's md5(prosrc) gives for the expected body: it hashes the UTF-8 bytes, as here. */
function bodyMd5Of(schema: string): string {
  return createHash('md5').update(epochFunctionBody(schema), 'utf8').digest('hex');
}

/** What a clean verification records: the state it verified. */
export interface VerificationMark {
  readonly epoch: string;
  readonly triggers: string | null;
  readonly fingerprint: string | null;
}

/**
 * Read before the reads of a verification, in one snapshot: any change committed later has a
 * higher epoch (or another fingerprint), so recording this mark after a clean verification never
 * vouches for a change the verification did not see.
 */
export async function readVerificationMark(client: SqlClient, setup: EpochSetup): Promise<VerificationMark> {
  const [row] = await client.query<{ epoch: string; triggers: string | null; fingerprint: string | null }>(
    `SELECT e.epoch::text AS epoch, ${TRIGGER_VERSIONS} AS triggers,
       CASE WHEN $2::text = 'fingerprint' THEN ${CATALOG_FINGERPRINT} END AS fingerprint
     FROM ${EPOCH_TABLE} e`,
    [setup.bodyMd5, setup.mode],
  );
  return row!;
}

/** Records a clean full verification: the mark read before it and the registry it checked against. */
export async function recordVerification(client: SqlClient, mark: VerificationMark, registry: string): Promise<void> {
  await client.query(
    `UPDATE ${EPOCH_TABLE} SET verified_epoch = $1::bigint, verified_triggers = $2, verified_fingerprint = $3, verified_registry = $4, verified_at = now()`,
    [mark.epoch, mark.triggers, mark.fingerprint, registry],
  );
}

/**
 * For `db status`: once the triggers were made (mode `trigger`), their absence or a change to
 * them is reported: every no-op migrate then verifies the whole catalog until a migrate puts them back.
 */
export async function schemaEpochDrift(client: SqlClient): Promise<Drift[]> {
  const [found] = await client.query<{ found: string | null; schema: string }>(`SELECT to_regclass($1)::text AS found, current_schema() AS schema`, [EPOCH_TABLE]);
  if (found?.found == null) return [];
  const [row] = await client.query<{ mode: EpochMode; triggers: string | null }>(`SELECT e.mode, ${TRIGGER_VERSIONS} AS triggers FROM ${EPOCH_TABLE} e`, [bodyMd5Of(found.schema)]);
  if (row?.mode !== 'trigger' || row.triggers !== null) return [];
  return [
    {
      kind: 'schema-epoch',
      table: EPOCH_TABLE,
      message: `The event triggers that record schema changes (${Object.keys(EPOCH_TRIGGERS).join(', ')}) are missing, disabled or changed: every no-op migrate verifies the whole catalog until ydtb db migrate makes them again (it takes a superuser).`,
    },
  ];
}
