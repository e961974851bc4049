import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../test/test-databases.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { findWorkspace } from './find-workspace.ts';
import { apiKeys, keysRegistration, statusPages, workspaceOfApiKey, workspaceOfStatusPage } from './fixtures/keys-package.ts';
import { APP_ROLE, LOOKUP_ROLE } from './isolation-settings.ts';
import { lookupFunctionName } from './lookup-name.ts';
import { withWorkspace } from './with-workspace.ts';

type Db = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

const config = defaultRegistryConfig;
const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY_OF_A = 'ydtb_live_key_of_workspace_a';
const KEY_OF_B = 'ydtb_live_key_of_workspace_b';
const apiKeyFn = lookupFunctionName('@test/keys', 'api_key');

function registry(): DatabaseRegistry {
  const registry = createContainer().get(DatabaseRegistry);
  registry.register(keysRegistration);
  return registry;
}

/** drizzle wraps driver errors; the database's own words are in the cause. */
async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ''}`;
  }
  throw new Error('expected it to be refused');
}

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('workspace lookups on $name', (kind) => {
  let opened: OpenedTestClient;
  let app: Db;
  let close: () => Promise<void> = async () => undefined;
  const drift = async () => (await driftOf(opened.client, registry(), config)).map((d) => [d.kind, d.table]);

  beforeAll(async () => {
    opened = await kind.open();
    expect((await migrateDatabase(opened.client, registry(), config)).drift).toEqual([]);
    await opened.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b'), ('wc', 'C', 'c')`);
    if (opened.pglite) {
      app = drizzlePglite(opened.pglite) as unknown as Db;
      close = () => opened.release();
    } else {
      // The application logs in as its own role, a member of ydtb_app and nothing else.
      const login = `lookup_app_${new URL(opened.url!).pathname.slice(1)}`;
      await opened.client.exec(`CREATE ROLE ${login} LOGIN; GRANT ${APP_ROLE} TO ${login};`);
      const url = new URL(opened.url!);
      url.username = login;
      const appSql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
      app = drizzlePostgres(appSql) as unknown as Db;
      close = async () => {
        await appSql.end();
        await opened.release();
        const admin = postgres(new URL('/postgres', opened.url!).toString(), { max: 1, onnotice: () => undefined });
        await admin.unsafe(`DROP ROLE ${login}`);
        await admin.end();
      };
    }
    await withWorkspace(app, 'wa', async (tx) => {
      await tx.insert(apiKeys).values({ workspaceId: 'wa', id: 'k1', name: 'CI key', keyHash: hash(KEY_OF_A) });
      await tx.insert(statusPages).values([
        { workspaceId: 'wa', id: 'p1', slug: 'acme', title: 'Acme status' },
        { workspaceId: 'wa', id: 'p2', slug: 'shared', title: 'A shared slug' },
      ]);
    });
    await withWorkspace(app, 'wb', (tx) => tx.insert(apiKeys).values({ workspaceId: 'wb', id: 'k1', name: 'deploy key', keyHash: hash(KEY_OF_B) }));
    await withWorkspace(app, 'wc', (tx) => tx.insert(statusPages).values({ workspaceId: 'wc', id: 'p1', slug: 'shared', title: 'C shared slug' }));
  }, 120_000);

  afterAll(() => close());

  describe('when the application, with no workspace set, looks a key up', () => {
    it('should find the one workspace of an exact API key hash or page slug', async () => {
      expect(await workspaceOfApiKey(app, KEY_OF_A)).toBe('wa');
      expect(await workspaceOfApiKey(app, KEY_OF_B)).toBe('wb');
      expect(await workspaceOfStatusPage(app, 'acme')).toBe('wa');
      expect(await findWorkspace(app, '@test/keys', 'status_page', 'ACME')).toBeNull();
    });

    it.each([
      ['a prefix of the hash', hash(KEY_OF_A).slice(0, 12)],
      ['a LIKE pattern', `${hash(KEY_OF_A).slice(0, 4)}%`],
      ['a bare wildcard', '%'],
      ['a regular expression', '.*'],
      ['a wrong key', hash('not a key')],
      ['the key itself instead of its hash', KEY_OF_A],
      ['another column: the key name', 'CI key'],
      ['another column: the row id', 'k1'],
      ['another column: the workspace id', 'wa'],
      ['the empty string', ''],
      ['a quote, as in an injection', "' OR true --"],
    ])('should find nothing for %s', async (_what, key) => {
      expect(await findWorkspace(app, '@test/keys', 'api_key', key)).toBeNull();
    });

    it('should refuse a key held by two workspaces rather than pick one', async () => {
      expect(await errorOf(findWorkspace(app, '@test/keys', 'status_page', 'shared'))).toContain('ambiguous');
    });

    it('should still read no row of the tables without a workspace', async () => {
      const rows = await app.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('role', ${APP_ROLE}, true)`);
        return tx.select().from(apiKeys);
      });
      expect(rows).toEqual([]);
      expect(await withWorkspace(app, 'wa', (tx) => tx.select({ id: apiKeys.id }).from(apiKeys))).toEqual([{ id: 'k1' }]);
    });

    // PGlite's one user is a superuser, who may take any role: only a server has roles to refuse it.
    if (kind.name === 'PostgreSQL') {
      it('should not let the application take the lookup role', async () => {
        expect(
          await errorOf(
            app.transaction(async (tx) => {
              await tx.execute(sql`SELECT set_config('role', ${APP_ROLE}, true)`);
              await tx.execute(sql.raw(`SET LOCAL ROLE ${LOOKUP_ROLE}`));
            }),
          ),
        ).toMatch(/permission denied|must be (a )?member/i);
      });
    }
  });

  describe('when the database is verified', () => {
    it('should report a default setting of the lookup role in the inventory', async () => {
      await opened.client.exec(`ALTER ROLE ${LOOKUP_ROLE} SET search_path = public`);
      try {
        expect(await drift()).toEqual([['role-setting', `role ${LOOKUP_ROLE} in every database: search_path`]]);
      } finally {
        await opened.client.exec(`ALTER ROLE ${LOOKUP_ROLE} RESET search_path`);
      }
    });

    it('should find no drift: the function, its owner, the lookup policy and the column grants are the pipeline\'s', async () => {
      expect(await drift()).toEqual([]);
      const [fn] = await opened.client.query<{ owner: string; definer: boolean }>(
        `SELECT pg_get_userbyid(proowner) AS owner, prosecdef AS definer FROM pg_proc WHERE proname = $1`,
        [apiKeyFn],
      );
      expect(fn).toEqual({ owner: LOOKUP_ROLE, definer: true });
      const grants = await opened.client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.column_privileges WHERE grantee = $1 AND table_name = 'ydtb_keys_api_keys' ORDER BY 1`,
        [LOOKUP_ROLE],
      );
      expect(grants.map((g) => g.column_name)).toEqual(['key_hash', 'workspace_id']);
    });

    it.each([
      ['a function body that returns every workspace', `CREATE OR REPLACE FUNCTION ${apiKeyFn}(key text) RETURNS text LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN (SELECT string_agg(workspace_id, ',') FROM public.ydtb_keys_api_keys); END $$`, 'workspace-lookup'],
      ['another column granted to the lookup role', `GRANT SELECT (name) ON ydtb_keys_api_keys TO ${LOOKUP_ROLE}`, 'workspace-lookup'],
      ['the whole table granted to the lookup role', `GRANT SELECT ON ydtb_keys_api_keys TO ${LOOKUP_ROLE}`, 'workspace-lookup'],
      ['the lookup policy opened to everyone', `ALTER POLICY ydtb_workspace_lookup ON ydtb_keys_api_keys TO PUBLIC`, 'isolation'],
      ['the lookup policy dropped', `DROP POLICY ydtb_workspace_lookup ON ydtb_keys_status_pages`, 'isolation'],
      ['a function of its own for the lookup role', `CREATE FUNCTION ydtb_lookup_all() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT 'x' $$; ALTER FUNCTION ydtb_lookup_all() OWNER TO ${LOOKUP_ROLE}`, 'workspace-lookup'],
      ['PUBLIC allowed to run the lookup', `GRANT EXECUTE ON FUNCTION ${apiKeyFn}(text) TO PUBLIC`, 'workspace-lookup'],
    ])('should report %s, and migrate should restore it', async (_what, change, driftKind) => {
      await opened.client.exec(change);
      expect((await drift()).map(([k]) => k)).toContain(driftKind);
      expect((await migrateDatabase(opened.client, registry(), config, { verify: true })).drift).toEqual([]);
      expect(await drift()).toEqual([]);
      expect(await findWorkspace(app, '@test/keys', 'api_key', hash(KEY_OF_A))).toBe('wa');
      expect(await findWorkspace(app, '@test/keys', 'api_key', '%')).toBeNull();
    });
  });
});
