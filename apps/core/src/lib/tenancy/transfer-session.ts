import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE, WORKSPACE_SETTING } from '../isolation/isolation-settings.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';

/**
 * Settings under which PostgreSQL's text form of every value is the same from session to session
 * and reads back exactly: timestamps in UTC and ISO order, shortest exact floats, hex bytea.
 */
export async function useExactTextForms(tx: SqlClient): Promise<void> {
  await tx.exec(
    `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'`,
  );
}

/**
 * What `withWorkspace` does on a Drizzle database, on a SqlClient: the workspace setting and the
 * application role, both local to the transaction, in one statement. From here on row-level
 * security shows and lets write only `workspaceId`'s rows of package tables.
 */
export async function enterWorkspace(tx: SqlClient, workspaceId: string): Promise<void> {
  await tx.query(`SELECT set_config($1, $2, true), set_config('role', $3, true)`, [WORKSPACE_SETTING, workspaceId, APP_ROLE]);
}

/** Back to the migrating role (core tables are not the application role's); the workspace setting stays. */
export async function leaveApplicationRole(tx: SqlClient): Promise<void> {
  await tx.exec('SET LOCAL ROLE NONE');
}

/** Whether the connected role bypasses row-level security anyway (a superuser, or BYPASSRLS). */
async function bypassesRowSecurity(tx: SqlClient): Promise<boolean> {
  const [row] = await tx.query<{ bypass: boolean }>(`SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`);
  return row?.bypass === true;
}

/**
 * Lets the migrating role, the tables' owner, read and write every workspace's rows of `tables`
 * for the rest of the transaction, not through row-level security: `NO FORCE ROW LEVEL SECURITY`
 * on each (so the owner is not bound; other roles still are), with `row_security = off` so a
 * policy that would still apply raises an error instead of hiding rows. The returned function puts
 * `FORCE` back; it must run before the transaction commits (and a rollback undoes both anyway).
 */
export async function liftRowSecurity(tx: SqlClient, tables: readonly string[]): Promise<() => Promise<void>> {
  const forced = (await bypassesRowSecurity(tx))
    ? []
    : (await tx.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[]) AND relforcerowsecurity ORDER BY relname`,
        [tables],
      )).map((r) => r.name);
  for (const table of forced) await tx.exec(`ALTER TABLE ${quoteIdent(table)} NO FORCE ROW LEVEL SECURITY`);
  await tx.exec('SET LOCAL row_security = off');
  return async () => {
    await tx.exec('SET LOCAL row_security = on');
    for (const table of forced) await tx.exec(`ALTER TABLE ${quoteIdent(table)} FORCE ROW LEVEL SECURITY`);
  };
}

/** Runs `work` in a transaction that commits, or with `rollBack` is always rolled back once it succeeded (a dry run). */
export async function rolledBackWhen<T>(rollBack: boolean, client: SqlClient, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  if (!rollBack) return client.transaction(work);
  const done = { result: undefined as T | undefined };
  const sentinel = new Error('dry run');
  try {
    await client.transaction(async (tx) => {
      done.result = await work(tx);
      throw sentinel;
    });
  } catch (error) {
    if (error !== sentinel) throw error;
  }
  return done.result as T;
}
