import { PIPELINE_TABLES } from '../pipeline-tables.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { ENSURE_REDEEM_FUNCTION } from './history-ticket.ts';

export const HISTORY_TABLE = PIPELINE_TABLES.history;

/** One applied migration, as the history table holds it. */
export interface HistoryRow {
  readonly packageName: string;
  readonly migrationId: string;
  readonly packageVersion: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly durationMs: number;
  /** `baselined`: recorded by `ydtb db baseline` for tables that already existed; no SQL ran. Both count as applied. */
  readonly status: CurrentStatus;
  /** The database role that applied it (`current_user`); null for rows recorded before the history kept it. */
  readonly appliedBy: string | null;
}

/** Every row the history keeps, including migrations no longer in effect. */
export interface HistoryLogRow extends Omit<HistoryRow, 'status'> {
  readonly id: number;
  readonly status: HistoryStatus;
  /** When and by whom a `rolled_back` or `uninstalled` row stopped being in effect; null while it is in effect. */
  readonly revertedAt: Date | null;
  readonly revertedBy: string | null;
}

/** The statuses of a migration in effect: its objects are in the database. */
export type CurrentStatus = 'applied' | 'baselined';
/**
 * `rolled_back`: its down SQL ran (`ydtb db rollback`); `uninstalled`: its package's tables were dropped
 * (`ydtb db uninstall`). Such rows are kept as history; applying the migration again adds a new row.
 */
export type HistoryStatus = CurrentStatus | 'rolled_back' | 'uninstalled';

export const CURRENT_STATUSES: readonly CurrentStatus[] = ['applied', 'baselined'];
/** `pending`: written with a ticket before its package's transaction runs; it becomes `applied` in that transaction (history-ticket.ts). */
const STATUS_CHECK = `CHECK (status IN ('applied', 'baselined', 'rolled_back', 'uninstalled', 'pending'))`;
const IN_EFFECT = `status IN ('applied', 'baselined')`;

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  package_name    text        NOT NULL,
  migration_id    text        NOT NULL,
  package_version text        NOT NULL,
  checksum        char(64)    NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now(),
  duration_ms     integer     NOT NULL CHECK (duration_ms >= 0),
  status          text        NOT NULL DEFAULT 'applied' CONSTRAINT ydtb_migration_history_status_check ${STATUS_CHECK},
  applied_by      text        DEFAULT current_user,
  reverted_at     timestamptz,
  reverted_by     text,
  ticket          bytea
);
CREATE UNIQUE INDEX IF NOT EXISTS ydtb_migration_history_in_effect ON ${HISTORY_TABLE} (package_name, migration_id) WHERE ${IN_EFFECT}`;

/**
 * A history table made by an earlier version: keyed by (package, migration), without who applied
 * a migration, and allowing fewer statuses. Bring it to the current shape, once, keeping its rows
 * (their applied_by stays null: unknown). One (package, migration) stays unique among rows in effect.
 */
const UPGRADE_HISTORY = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${HISTORY_TABLE}'::regclass AND attname = 'id' AND NOT attisdropped) THEN
    ALTER TABLE ${HISTORY_TABLE} DROP CONSTRAINT IF EXISTS ${HISTORY_TABLE}_pkey;
    ALTER TABLE ${HISTORY_TABLE} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ADD COLUMN applied_by text, ADD COLUMN reverted_at timestamptz, ADD COLUMN reverted_by text;
    ALTER TABLE ${HISTORY_TABLE} ALTER COLUMN applied_by SET DEFAULT current_user;
    CREATE UNIQUE INDEX IF NOT EXISTS ydtb_migration_history_in_effect ON ${HISTORY_TABLE} (package_name, migration_id) WHERE ${IN_EFFECT};
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
     WHERE conrelid = '${HISTORY_TABLE}'::regclass AND conname = 'ydtb_migration_history_status_check'
       AND pg_get_constraintdef(oid) LIKE '%pending%'
  ) THEN
    ALTER TABLE ${HISTORY_TABLE} DROP CONSTRAINT IF EXISTS ydtb_migration_history_status_check;
    ALTER TABLE ${HISTORY_TABLE} ADD CONSTRAINT ydtb_migration_history_status_check ${STATUS_CHECK};
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${HISTORY_TABLE}'::regclass AND attname = 'ticket' AND NOT attisdropped) THEN
    ALTER TABLE ${HISTORY_TABLE} ADD COLUMN ticket bytea;
  END IF;
END $$`;

export async function ensureHistoryTable(client: SqlClient): Promise<void> {
  await client.exec(CREATE_HISTORY);
  await client.exec(UPGRADE_HISTORY);
  await client.exec(ENSURE_REDEEM_FUNCTION);
}

/** Whether the history table exists yet: read-only commands must not create it. */
export async function historyTableExists(client: SqlClient): Promise<boolean> {
  const [row] = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [HISTORY_TABLE]);
  return row?.found != null;
}

interface RawHistoryRow {
  id: number | string | null;
  package_name: string;
  migration_id: string;
  package_version: string;
  checksum: string;
  applied_at: Date | string;
  duration_ms: number;
  status: HistoryStatus;
  applied_by?: string | null;
  reverted_at?: Date | string | null;
  reverted_by?: string | null;
}

function logRow(row: RawHistoryRow): HistoryLogRow {
  return {
    id: Number(row.id ?? 0),
    packageName: row.package_name,
    migrationId: row.migration_id,
    packageVersion: row.package_version,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at),
    durationMs: row.duration_ms,
    status: row.status,
    appliedBy: row.applied_by ?? null,
    revertedAt: row.reverted_at == null ? null : new Date(row.reverted_at),
    revertedBy: row.reverted_by ?? null,
  };
}

/**
 * The migrations in effect (applied or baselined), oldest first: what planning compares with the
 * shipped migrations. Rows of rolled-back or uninstalled migrations are left out (`readHistoryLog`).
 * Reads a table of an earlier shape as it is: read-only commands never upgrade it.
 */
export async function readHistory(client: SqlClient): Promise<HistoryRow[]> {
  return (await readHistoryLog(client))
    .filter((row): row is HistoryLogRow & { status: CurrentStatus } => (CURRENT_STATUSES as readonly string[]).includes(row.status))
    .map(({ id: _id, revertedAt: _at, revertedBy: _by, ...row }) => row);
}

/** Every history row, in effect or not, oldest first; none when the table was never made. */
export async function readHistoryLog(client: SqlClient): Promise<HistoryLogRow[]> {
  if (!(await historyTableExists(client))) return [];
  // A pending row waits for its package's transaction: until that commits, it is not history.
  const rows = await client.query<RawHistoryRow>(`SELECT * FROM ${HISTORY_TABLE} WHERE status <> 'pending' ORDER BY applied_at, package_name, migration_id`);
  return rows.map(logRow);
}

export async function recordApplied(
  tx: SqlClient,
  row: Pick<HistoryRow, 'packageName' | 'migrationId' | 'packageVersion' | 'checksum' | 'durationMs'>,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms, status)
     VALUES ($1, $2, $3, $4, $5, 'applied')`,
    [row.packageName, row.migrationId, row.packageVersion, row.checksum, row.durationMs],
  );
}

/** A migration whose objects already existed: recorded without running its SQL. */
export async function recordBaselined(
  tx: SqlClient,
  row: Pick<HistoryRow, 'packageName' | 'migrationId' | 'packageVersion' | 'checksum'>,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms, status)
     VALUES ($1, $2, $3, $4, 0, 'baselined')`,
    [row.packageName, row.migrationId, row.packageVersion, row.checksum],
  );
}

/**
 * A migration whose down SQL ran (`ydtb db rollback`): its row in effect becomes `rolled_back`,
 * with when and by whom (`current_user`), and stays as history. Applying it again adds a new row.
 * Returns whether a row in effect was found.
 */
export async function recordRolledBack(tx: SqlClient, row: Pick<HistoryRow, 'packageName' | 'migrationId'>): Promise<boolean> {
  const updated = await tx.query<{ id: number }>(
    `UPDATE ${HISTORY_TABLE} SET status = 'rolled_back', reverted_at = now(), reverted_by = current_user
      WHERE package_name = $1 AND migration_id = $2 AND ${IN_EFFECT}
      RETURNING id`,
    [row.packageName, row.migrationId],
  );
  return updated.length > 0;
}

/**
 * A package whose tables were dropped (`ydtb db uninstall`): its rows in effect become
 * `uninstalled`, with when and by whom, and stay as history; a later migrate applies them again.
 */
export async function recordUninstalled(tx: SqlClient, packageName: string): Promise<void> {
  await tx.query(
    `UPDATE ${HISTORY_TABLE} SET status = 'uninstalled', reverted_at = now(), reverted_by = current_user
      WHERE package_name = $1 AND ${IN_EFFECT}`,
    [packageName],
  );
}
