import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings';

type AnyPgDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
type Transaction = Parameters<Parameters<AnyPgDatabase['transaction']>[0]>[0];

/**
 * Runs `work` in a transaction that sees and writes only `workspaceId`'s rows of package tables.
 * The workspace is set with `set_config(…, true)`, local to the transaction, so a pooled
 * connection never carries it into the next request; the role is switched to the application
 * role for the same reason, so row-level security applies even on an owner's connection.
 */
export async function withWorkspace<T>(db: AnyPgDatabase, workspaceId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (typeof workspaceId !== 'string' || workspaceId.length === 0) {
    throw new TypeError('withWorkspace needs the id of a workspace (a non-empty string).');
  }
  return db.transaction(async (tx) => {
    // One round trip for both: set_config('role', …, true) is SET LOCAL ROLE, membership check included.
    await tx.execute(sql`SELECT set_config(${WORKSPACE_SETTING}, ${workspaceId}, true), set_config('role', ${APP_ROLE}, true)`);
    return work(tx);
  });
}
