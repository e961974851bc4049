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
 * Bounded by `signal` (the request's deadline): once it aborts, the check rejects, and every
 * connection it had or gets later is released, so it never keeps the pool from the requests.
 */
export async function checkPool(sql: postgres.Sql, max: number, signal: AbortSignal): Promise<PooledConnection[]> {
  const reserving = Array.from({ length: max }, () => sql.reserve());
  const releaseAll = () => {
    for (const connection of reserving) void connection.then((c) => c.release(), () => undefined);
  };
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const reserved = await Promise.race([Promise.all(reserving), aborted]);
    return await Promise.race([
      Promise.all(
        reserved.map(async (connection) => {
          const [row] = await connection<{ pid: number; workspace: string | null; role: string }[]>`
            SELECT pg_backend_pid() AS pid, current_setting(${WORKSPACE_SETTING}, true) AS workspace, current_user::text AS role`;
          return row!;
        }),
      ),
      aborted,
    ]);
  } finally {
    releaseAll();
  }
}

/** One `SELECT 1` on one pooled connection, failing after `timeoutMs`: the readiness check. */
export async function checkReady(sql: postgres.Sql, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const query = sql`SELECT 1`;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A query still waiting for a connection is dropped from the queue; one running is cancelled.
      // cancel() opens a connection to send the cancel request: with the server away, that fails too.
      void Promise.resolve(query.cancel() as unknown).catch(() => undefined);
      reject(Object.assign(new Error(`The database did not answer SELECT 1 within ${timeoutMs} ms.`), { code: 'CONNECT_TIMEOUT' }));
    }, timeoutMs);
  });
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
    query.catch(() => undefined);
  }
}
