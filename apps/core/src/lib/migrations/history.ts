import type { SqlClient } from '../database/sql-client';

export const HISTORY_TABLE = 'ydtb_migration_history';

/** One applied migration, as the history table holds it. */
export interface HistoryRow {
  readonly packageName: string;
  readonly migrationId: string;
  readonly packageVersion: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly durationMs: number;
  /** `baselined`: recorded by `ydtb db baseline` for tables that already existed; no SQL ran. Both count as applied. */
  readonly status: HistoryStatus;
}

export type HistoryStatus = 'applied' | 'baselined';

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  package_name    text        NOT NULL,
  migration_id    text        NOT NULL,
  package_version text        NOT NULL,
  checksum        char(64)    NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now(),
  duration_ms     integer     NOT NULL CHECK (duration_ms >= 0),
  status          text        NOT NULL DEFAULT 'applied' CONSTRAINT ydtb_migration_history_status_check CHECK (status IN ('applied', 'baselined')),
  PRIMARY KEY (package_name, migration_id)
)`;

/**
 * A history table made before baselining existed allows 'applied' only: widen its CHECK, once.
 * The constraint keeps the name PostgreSQL gave the original unnamed CHECK.
 */
const WIDEN_STATUS = `
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
     WHERE conrelid = '${HISTORY_TABLE}'::regclass AND conname = 'ydtb_migration_history_status_check'
       AND pg_get_constraintdef(oid) LIKE '%baselined%'
  ) THEN
    ALTER TABLE ${HISTORY_TABLE} DROP CONSTRAINT IF EXISTS ydtb_migration_history_status_check;
    ALTER TABLE ${HISTORY_TABLE} ADD CONSTRAINT ydtb_migration_history_status_check CHECK (status IN ('applied', 'baselined'));
  END IF;
END $$`;

export async function ensureHistoryTable(client: SqlClient): Promise<void> {
  await client.exec(CREATE_HISTORY);
  await client.exec(WIDEN_STATUS);
}

/** Whether the history table exists yet: read-only commands must not create it. */
export async function historyTableExists(client: SqlClient): Promise<boolean> {
  const [row] = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [HISTORY_TABLE]);
  return row?.found != null;
}

export async function readHistory(client: SqlClient): Promise<HistoryRow[]> {
  if (!(await historyTableExists(client))) return [];
  const rows = await client.query<{
    package_name: string;
    migration_id: string;
    package_version: string;
    checksum: string;
    applied_at: Date | string;
    duration_ms: number;
    status: HistoryStatus;
  }>(`SELECT * FROM ${HISTORY_TABLE} ORDER BY applied_at, package_name, migration_id`);
  return rows.map((row) => ({
    packageName: row.package_name,
    migrationId: row.migration_id,
    packageVersion: row.package_version,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at),
    durationMs: row.duration_ms,
    status: row.status,
  }));
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
