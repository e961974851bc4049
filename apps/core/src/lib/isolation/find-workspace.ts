import { is, sql } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { APP_ROLE } from './isolation-settings.ts';
import { lookupFunctionName } from './lookup-name.ts';

type AnyPgDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/**
 * The workspace that holds `key` in a package's declared workspace lookup (`workspaceLookups`
 * of its registration), or null when none does: an exact match only, so a prefix, a LIKE
 * pattern or another column's value finds nothing. Runs as the application role, needs no
 * workspace, and returns the workspace id and nothing else; use it before `withWorkspace`, to
 * learn which workspace a request is for (an API key's hash, a public page's slug). A key held
 * by two workspaces (a lookup unique per workspace) throws, rather than pick one.
 */
export async function findWorkspace(db: AnyPgDatabase, packageName: string, lookup: string, key: string): Promise<string | null> {
  if (typeof key !== 'string') throw new TypeError('findWorkspace needs the key as a string.');
  const fn = sql.identifier(lookupFunctionName(packageName, lookup));
  const query = sql`SELECT ${fn}(${key}::text) AS workspace_id`;
  // In a transaction (withWorkspace's, say) the role is the caller's: a savepoint's role would outlive it.
  const result = is(db, PgTransaction)
    ? await db.execute(query)
    : await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('role', ${APP_ROLE}, true)`);
        return tx.execute(query);
      });
  const [row] = Array.isArray(result) ? (result as { workspace_id: string | null }[]) : ((result as { rows?: { workspace_id: string | null }[] }).rows ?? []);
  return row?.workspace_id ?? null;
}
