import type postgres from 'postgres';
import { WORKSPACE_SETTING } from '@ydtb/core';

/** What one pooled connection carries between requests. */
export interface PooledConnection {
  readonly pid: number;
  /** `ydtb.workspace_id` on the connection: empty or null when no request left it behind. */
  readonly workspace: string | null;
  /** `current_user`: the login role, unless a request left `SET ROLE` behind. */
  readonly role: string;
}

/**
 * Takes every connection of the pool at once (waiting for requests in flight to finish) and reads
 * what each carries outside a request: proof that no workspace or role outlives its transaction.
 */
export async function checkPool(sql: postgres.Sql, max: number): Promise<PooledConnection[]> {
  const reserved = await Promise.all(Array.from({ length: max }, () => sql.reserve()));
  try {
    return await Promise.all(
      reserved.map(async (connection) => {
        const [row] = await connection<{ pid: number; workspace: string | null; role: string }[]>`
          SELECT pg_backend_pid() AS pid, current_setting(${WORKSPACE_SETTING}, true) AS workspace, current_user::text AS role`;
        return row!;
      }),
    );
  } finally {
    for (const connection of reserved) connection.release();
  }
}
