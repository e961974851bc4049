import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../database/sql-client.ts';
import { scramVerifier } from '../database/scram-verifier.ts';
import { MIGRATING_SETTING } from '../isolation/isolation-settings.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { PackageLoginError } from './package-login-error.ts';
import { PackageRoleEscapeError } from './package-role-escape-error.ts';

/**
 * Where a package's own SQL runs: with its role's rights and no others. Package SQL (migrations,
 * down SQL, no-transaction steps) runs only here; the pipeline's own statements (history,
 * ownership, the application role) run on the migrator's connection.
 */
export interface PackageSession {
  readonly role: string;
  /** `work` in one transaction as the package's role: committed if it resolves. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** One statement outside any transaction (a `-- ydtb:no-transaction` step), as the package's role. */
  exec(sql: string): Promise<void>;
  /** A read outside any transaction, as the package's role. */
  query<T extends object>(text: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Opens the package's session. On a PostgreSQL server it is a connection authenticated as the
 * package's role: the role has a password for this run only (a random one set by its SCRAM
 * verifier, valid for an hour at most, taken away again on close), so nothing the package's SQL
 * runs (`RESET ROLE`, `SET ROLE`, `SET SESSION AUTHORIZATION`, in a DO block or a function it
 * makes) can reach the migrator's rights: the session never had them. PGlite has one user and
 * one connection: there the session is `SET ROLE` on the migrator's connection, and the
 * migration lint (which refuses role and session control wherever the parser sees it) is the
 * wall; a statement that leaves the role anyway is caught when it returns, and rolled back.
 */
export async function openPackageSession(client: SqlClient, role: string): Promise<PackageSession> {
  return client.loginAs ? loginSession(client, role, client.loginAs.bind(client)) : setRoleSession(client, role);
}

async function loginSession(client: SqlClient, role: string, loginAs: NonNullable<SqlClient['loginAs']>): Promise<PackageSession> {
  const password = randomBytes(24).toString('hex');
  const [{ search_path: searchPath } = { search_path: '' }] = await client.query<{ search_path: string }>(`SELECT current_setting('search_path') AS search_path`);
  await client.exec(
    `DO $$ BEGIN EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L VALID UNTIL %L', '${role.replace(/'/g, "''")}', '${scramVerifier(password)}', now() + interval '1 hour'); END $$;`,
  );
  // LOGIN stays: roles are the cluster's, and another database's migrate may be logging in as it.
  const lock = () => client.exec(`ALTER ROLE ${quoteIdent(role)} PASSWORD NULL`);
  const session = loginAs(role, password);
  try {
    // The migrator's schema, so unqualified names resolve where its own statements resolve them;
    // the package's migration policy (every row of its own tables) holds for this session only.
    await session.query(`SELECT set_config('search_path', $1, false), set_config($2, $3, false)`, [searchPath, MIGRATING_SETTING, role]);
  } catch (error) {
    await session.close().catch(() => undefined);
    await lock();
    throw new PackageLoginError(role, errorMessage(error));
  }
  return {
    role,
    transaction: (work) => session.transaction(work),
    exec: (sql) => session.exec(sql),
    query: (text, params) => session.query(text, params),
    close: async () => {
      try {
        await session.close();
      } finally {
        await lock();
      }
    },
  };
}

function setRoleSession(client: SqlClient, role: string): PackageSession {
  const r = quoteIdent(role);
  const stillRole = async (on: SqlClient) => {
    const [row] = await on.query<{ current_user: string }>(`SELECT current_user::text AS current_user`);
    if (row?.current_user !== role) throw new PackageRoleEscapeError(role, row?.current_user ?? 'unknown');
  };
  const asRole = async <T>(work: () => Promise<T>): Promise<T> => {
    // Back to the migrator's role afterwards, which need not be the session's user.
    const [{ current_user: migrator } = { current_user: '' }] = await client.query<{ current_user: string }>(`SELECT current_user::text AS current_user`);
    await client.exec(`SET ROLE ${r}`);
    await client.query(`SELECT set_config($1, $2, false)`, [MIGRATING_SETTING, role]);
    try {
      const result = await work();
      await stillRole(client);
      return result;
    } finally {
      await client.query(`SELECT set_config($1, '', false)`, [MIGRATING_SETTING]);
      await client.exec(`SET ROLE ${quoteIdent(migrator)}`);
    }
  };
  return {
    role,
    transaction: (work) =>
      client.transaction(async (tx) => {
        // One round trip: set_config('role', …, true) is SET LOCAL ROLE, membership check included.
        await tx.query(`SELECT set_config('role', $1, true), set_config($2, $1, true)`, [role, MIGRATING_SETTING]);
        const result = await work(tx);
        await stillRole(tx);
        return result;
      }),
    exec: (sql) => asRole(() => client.exec(sql)),
    query: (text, params) => asRole(() => client.query(text, params)),
    close: () => Promise.resolve(),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
