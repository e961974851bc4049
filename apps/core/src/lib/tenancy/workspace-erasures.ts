import { PIPELINE_TABLES } from '../pipeline-tables.ts';
import type { SqlClient } from '../database/sql-client.ts';

export const ERASURES_TABLE = PIPELINE_TABLES.erasures;

/** One `ydtb workspace erase`, as the audit table keeps it: who, when, how many rows of each table; no data. */
export interface ErasureRow {
  readonly id: number;
  readonly workspaceId: string;
  /** Rows deleted, by table. */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** The database role that erased it (`current_user`). */
  readonly erasedBy: string;
  readonly erasedAt: Date;
}

const CREATE_ERASURES = `
CREATE TABLE IF NOT EXISTS ${ERASURES_TABLE} (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  text        NOT NULL,
  row_counts    jsonb       NOT NULL,
  erased_by     text        NOT NULL DEFAULT current_user,
  erased_at     timestamptz NOT NULL DEFAULT now()
)`;

export async function recordErasure(tx: SqlClient, workspaceId: string, rowCounts: Readonly<Record<string, number>>): Promise<number> {
  await tx.exec(CREATE_ERASURES);
  const [row] = await tx.query<{ id: number | string }>(
    `INSERT INTO ${ERASURES_TABLE} (workspace_id, row_counts) VALUES ($1, $2::text::jsonb) RETURNING id`,
    [workspaceId, JSON.stringify(rowCounts)],
  );
  return Number(row!.id);
}

/** Every erasure, oldest first; none when the table was never made. */
export async function readErasures(client: SqlClient): Promise<ErasureRow[]> {
  const [found] = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [ERASURES_TABLE]);
  if (found?.found == null) return [];
  const rows = await client.query<{ id: number | string; workspace_id: string; row_counts: string; erased_by: string; erased_at: Date | string }>(
    `SELECT id, workspace_id, row_counts::text AS row_counts, erased_by, erased_at FROM ${ERASURES_TABLE} ORDER BY id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    workspaceId: row.workspace_id,
    rowCounts: JSON.parse(row.row_counts) as Record<string, number>,
    erasedBy: row.erased_by,
    erasedAt: new Date(row.erased_at),
  }));
}
