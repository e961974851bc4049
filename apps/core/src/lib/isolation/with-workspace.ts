import { is, sql } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings.ts';
import { NestedWorkspaceError } from './nested-workspace-error.ts';

type AnyPgDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
type Transaction = Parameters<Parameters<AnyPgDatabase['transaction']>[0]>[0];

/**
 * Runs `work` in a transaction that sees and writes only `workspaceId`'s rows of package tables.
 * The workspace is set with `set_config(…, true)`, local to the transaction, so a pooled
 * connection never carries it into the next request; the role is switched to the application
 * role for the same reason, so row-level security applies even on an owner's connection.
 *
 * Called with a transaction (drizzle would open a savepoint), it runs only when that transaction
 * is already in `workspaceId` as the application role; otherwise it throws NestedWorkspaceError
 * before anything runs: a setting made inside a savepoint survives its release, so the outer
 * transaction would go on in the inner workspace. Only the nested call pays the round trip that
 * reads the current workspace.
 */
export async function withWorkspace<T>(db: AnyPgDatabase, workspaceId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (typeof workspaceId !== 'string' || workspaceId.length === 0) {
    throw new TypeError('withWorkspace needs the id of a workspace (a non-empty string).');
  }
  if (is(db, PgTransaction)) {
    const result = await db.execute(sql`SELECT nullif(current_setting(${WORKSPACE_SETTING}, true), '') AS workspace, current_user = ${APP_ROLE} AS app`);
    const [row] = rowsOf<{ workspace: string | null; app: boolean }>(result);
    const current = row?.workspace ?? null;
    if (current !== workspaceId || row?.app !== true) throw new NestedWorkspaceError(workspaceId, current);
    // Same workspace, same role: a savepoint, so the inner work fails alone as a transaction would.
    return db.transaction(work);
  }
  return db.transaction(async (tx) => {
    // One round trip for both: set_config('role', …, true) is SET LOCAL ROLE, membership check included.
    await tx.execute(sql`SELECT set_config(${WORKSPACE_SETTING}, ${workspaceId}, true), set_config('role', ${APP_ROLE}, true)`);
    return work(tx);
  });
}

/** postgres.js returns the rows themselves, PGlite and node-postgres a result with `rows`. */
function rowsOf<R>(result: unknown): R[] {
  return Array.isArray(result) ? (result as R[]) : ((result as { rows?: R[] }).rows ?? []);
}
