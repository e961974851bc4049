import { PIPELINE_TABLES } from '../pipeline-tables.ts';
import type { SqlClient } from '../database/sql-client.ts';

export const REPAIRS_TABLE = PIPELINE_TABLES.repairs;

/** One `ydtb db repair`, as the audit table keeps it. */
export interface RepairRow {
  readonly packageName: string;
  readonly migrationId: string;
  /** `checksum`: the shipped SQL's checksum was recorded in place of the one that ran. */
  readonly action: 'checksum';
  readonly oldChecksum: string;
  readonly newChecksum: string;
  readonly reason: string;
  /** The database role that made the repair (`current_user`). */
  readonly repairedBy: string;
  readonly repairedAt: Date;
}

const CREATE_REPAIRS = `
CREATE TABLE IF NOT EXISTS ${REPAIRS_TABLE} (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  package_name  text        NOT NULL,
  migration_id  text        NOT NULL,
  action        text        NOT NULL CHECK (action IN ('checksum')),
  old_checksum  char(64)    NOT NULL,
  new_checksum  char(64)    NOT NULL,
  reason        text        NOT NULL CHECK (btrim(reason) <> ''),
  repaired_by   text        NOT NULL DEFAULT current_user,
  repaired_at   timestamptz NOT NULL DEFAULT now()
)`;

export async function ensureRepairsTable(client: SqlClient): Promise<void> {
  await client.exec(CREATE_REPAIRS);
}

/** Every repair, oldest first; none when the table was never made (read-only commands do not make it). */
export async function readRepairs(client: SqlClient): Promise<RepairRow[]> {
  const [found] = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [REPAIRS_TABLE]);
  if (found?.found == null) return [];
  const rows = await client.query<{
    package_name: string;
    migration_id: string;
    action: 'checksum';
    old_checksum: string;
    new_checksum: string;
    reason: string;
    repaired_by: string;
    repaired_at: Date | string;
  }>(`SELECT * FROM ${REPAIRS_TABLE} ORDER BY id`);
  return rows.map((row) => ({
    packageName: row.package_name,
    migrationId: row.migration_id,
    action: row.action,
    oldChecksum: row.old_checksum,
    newChecksum: row.new_checksum,
    reason: row.reason,
    repairedBy: row.repaired_by,
    repairedAt: new Date(row.repaired_at),
  }));
}

export async function recordRepair(
  tx: SqlClient,
  row: Pick<RepairRow, 'packageName' | 'migrationId' | 'action' | 'oldChecksum' | 'newChecksum' | 'reason'>,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${REPAIRS_TABLE} (package_name, migration_id, action, old_checksum, new_checksum, reason)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.packageName, row.migrationId, row.action, row.oldChecksum, row.newChecksum, row.reason],
  );
}
