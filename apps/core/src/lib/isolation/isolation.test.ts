import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { basicModule, basicSchema } from '@ydtb/basic';
import { crmModule, crmSchema } from '@ydtb/crm';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../test/test-databases.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { APP_ROLE } from './isolation-settings.ts';
import { NestedWorkspaceError } from './nested-workspace-error.ts';
import { withWorkspace } from './with-workspace.ts';

type Db = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
type WorkspaceTable = PgTable & { workspaceId: never };

const { notes, noteTags } = basicSchema;
const { contacts, contactNotes } = crmSchema;
const packageTables = { notes, noteTags, contacts, contactNotes } as unknown as Record<string, WorkspaceTable>;

/** One row in every table of @ydtb/basic and @ydtb/crm for `workspaceId`, written through the isolation helper. */
async function seed(db: Db, workspaceId: string): Promise<void> {
  const noteId = randomUUID();
  const contactId = randomUUID();
  await withWorkspace(db, workspaceId, async (tx) => {
    await tx.insert(notes).values({ id: noteId, workspaceId, title: `note of ${workspaceId}` });
    await tx.insert(noteTags).values({ workspaceId, noteId, tag: 'important' });
    await tx.insert(contacts).values({ id: contactId, workspaceId, name: `contact of ${workspaceId}` });
    await tx.insert(contactNotes).values({ workspaceId, contactId, noteId });
  });
}

/** drizzle wraps driver errors; the database's own words are in the cause. */
async function databaseErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ''}`;
  }
  throw new Error('expected the statement to be refused');
}

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('workspace isolation on $name', (kind) => {
  let opened: OpenedTestClient;
  let owner: Db;
  let app: Db;
  let closeApp: () => Promise<void> = async () => undefined;
  const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);

  beforeAll(async () => {
    opened = await kind.open();
    await migrateDatabase(opened.client, registry, defaultRegistryConfig);
    await opened.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b')`);
    if (opened.pglite) {
      // PGlite has one user; withWorkspace switches to the application role itself.
      owner = drizzlePglite(opened.pglite) as unknown as Db;
      app = owner;
    } else {
      // The application logs in as its own role, a member of ydtb_app that owns no table.
      const login = `app_${new URL(opened.url!).pathname.slice(1)}`;
      await opened.client.exec(`CREATE ROLE ${login} LOGIN; GRANT ${APP_ROLE} TO ${login};`);
      const url = new URL(opened.url!);
      url.username = login;
      const appSql = postgres(url.toString(), { max: 2 });
      const ownerSql = postgres(opened.url!, { max: 1 });
      app = drizzlePostgres(appSql) as unknown as Db;
      owner = drizzlePostgres(ownerSql) as unknown as Db;
      closeApp = async () => {
        await appSql.end();
        await ownerSql.end();
        await opened.release();
        const admin = postgres(new URL('/postgres', opened.url!).toString(), { max: 1 });
        await admin.unsafe(`DROP ROLE ${login}`);
        await admin.end();
      };
    }
    await seed(app, 'wa');
    await seed(app, 'wb');
  });

  afterAll(async () => {
    if (opened.pglite) await opened.release();
    else await closeApp();
  });

  describe('when a statement runs for workspace A', () => {
    it.each(Object.keys(packageTables))('should return only A\'s rows of %s', async (name) => {
      const rows = await withWorkspace(app, 'wa', (tx) => tx.select().from(packageTables[name]!));

      expect(rows.length).toBe(1);
      expect(rows.every((row) => (row as { workspaceId: string }).workspaceId === 'wa')).toBe(true);
    });

    it('should update and delete only A\'s rows, even when asked for B\'s', async () => {
      const updated = await withWorkspace(app, 'wa', (tx) => tx.update(notes).set({ body: 'edited by A' }).returning());
      const deletedOfB = await withWorkspace(app, 'wa', (tx) =>
        tx.delete(noteTags).where(eq(noteTags.workspaceId, 'wb')).returning(),
      );

      expect(updated.map((row) => row.workspaceId)).toEqual(['wa']);
      expect(deletedOfB).toEqual([]);
      const ofB = await withWorkspace(app, 'wb', (tx) => tx.select().from(notes));
      expect(ofB.map((row) => row.body)).toEqual(['']);
      expect(await withWorkspace(app, 'wb', (tx) => tx.select().from(noteTags))).toHaveLength(1);
    });

    it('should refuse to insert a row of workspace B', async () => {
      const message = await databaseErrorOf(
        withWorkspace(app, 'wa', (tx) => tx.insert(contacts).values({ workspaceId: 'wb', name: 'smuggled' })),
      );

      expect(message).toContain('row-level security');
    });

    it('should refuse to move one of its rows to workspace B', async () => {
      const message = await databaseErrorOf(withWorkspace(app, 'wa', (tx) => tx.update(contacts).set({ workspaceId: 'wb' })));

      expect(message).toContain('row-level security');
    });
  });

  describe('when no workspace id is given', () => {
    it('should refuse before running anything', async () => {
      let ran = false;

      const error = await withWorkspace(app, '', async () => {
        ran = true;
      }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('withWorkspace needs the id of a workspace (a non-empty string).');
      expect(ran).toBe(false);
    });
  });

  describe('when the connection logs in as the role that owns the tables', () => {
    it('should still see and change only A\'s rows: withWorkspace switches to the application role', async () => {
      const [{ owns }] = (await opened.client.query<{ owns: boolean }>(
        `SELECT bool_and(pg_has_role(current_user, tableowner, 'USAGE')) AS owns FROM pg_tables WHERE tablename IN ('ydtb_basic_notes', 'ydtb_crm_contacts')`,
      )) as [{ owns: boolean }];
      // The owner (a superuser on the test server) is not subject to row-level security: only the switch protects it.
      expect(owns).toBe(true);
      const everyNote = await owner.select().from(notes);
      expect(new Set(everyNote.map((row) => row.workspaceId))).toEqual(new Set(['wa', 'wb']));

      const seen = await withWorkspace(owner, 'wa', async (tx) => ({
        notes: await tx.select().from(notes),
        contacts: await tx.select().from(contacts),
        role: (await tx.execute(sql`SELECT current_user AS role`)) as unknown,
      }));
      const deletedOfB = await withWorkspace(owner, 'wa', (tx) => tx.delete(contactNotes).where(eq(contactNotes.workspaceId, 'wb')).returning());

      expect(seen.notes.map((row) => row.workspaceId)).toEqual(['wa']);
      expect(seen.contacts.map((row) => row.workspaceId)).toEqual(['wa']);
      expect(JSON.stringify(seen.role)).toContain(APP_ROLE);
      expect(deletedOfB).toEqual([]);
    });
  });

  describe('when no workspace is set', () => {
    it.each(Object.keys(packageTables))('should see no row of %s', async (name) => {
      const rows = await app.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL ROLE ${APP_ROLE}`));
        return tx.select().from(packageTables[name]!);
      });

      expect(rows).toEqual([]);
    });

    it('should not leak the previous transaction\'s workspace into the next statement', async () => {
      await withWorkspace(app, 'wa', (tx) => tx.select().from(notes));

      const rows = await app.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL ROLE ${APP_ROLE}`));
        return tx.select().from(notes);
      });

      expect(rows).toEqual([]);
    });
  });

  describe('when withWorkspace is called with a transaction', () => {
    /** What a connection of the pool carries outside any transaction: its workspace setting and role. */
    const connectionState = async () => {
      const result = await app.execute(sql`SELECT coalesce(current_setting('ydtb.workspace_id', true), '') AS workspace, current_user::text AS role`);
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { workspace: string; role: string }[];
      return rows[0]!;
    };
    const titlesOf = (workspace: string) => withWorkspace(app, workspace, async (tx) => (await tx.select().from(notes)).map((n) => n.title).sort());

    it('should refuse a nested call for another workspace, roll the outer transaction back and write nothing to B', async () => {
      const error = await withWorkspace(app, 'wa', async (tx) => {
        await tx.insert(notes).values({ workspaceId: 'wa', title: 'outer of A' });
        await withWorkspace(tx, 'wb', (inner) => inner.insert(notes).values({ workspaceId: 'wb', title: 'inner of B' }));
        await tx.insert(notes).values({ workspaceId: 'wa', title: 'after the inner call' });
      }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(NestedWorkspaceError);
      expect(error).toMatchObject({ requestedWorkspace: 'wb', currentWorkspace: 'wa' });
      expect((error as Error).message).toContain('Pass the transaction on');
      expect(await titlesOf('wa')).not.toContain('outer of A');
      expect(await titlesOf('wa')).not.toContain('after the inner call');
      expect(await titlesOf('wb')).not.toContain('inner of B');
    });

    it('should refuse a workspace opened inside a transaction that is in none', async () => {
      const error = await app.transaction((tx) => withWorkspace(tx, 'wa', (inner) => inner.select().from(notes))).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(NestedWorkspaceError);
      expect(error).toMatchObject({ requestedWorkspace: 'wa', currentWorkspace: null });
    });

    it('should run a nested call for the same workspace in it', async () => {
      const titles = await withWorkspace(app, 'wa', async (tx) => {
        await withWorkspace(tx, 'wa', (inner) => inner.insert(notes).values({ workspaceId: 'wa', title: 'nested in A' }));
        return (await tx.select().from(notes)).map((n) => n.title);
      });

      expect(titles).toContain('nested in A');
      expect(await titlesOf('wa')).toContain('nested in A');
      expect(await titlesOf('wb')).not.toContain('nested in A');
      await withWorkspace(app, 'wa', (tx) => tx.delete(notes).where(eq(notes.title, 'nested in A')));
    });

    it('should leave no workspace and no role on the pooled connections, whatever the order of refused and accepted calls', async () => {
      const refused = (outer: string, inner: string) =>
        withWorkspace(app, outer, async (tx) => {
          await tx.insert(notes).values({ workspaceId: outer, title: `refused ${outer}>${inner}` });
          await withWorkspace(tx, inner, (t) => t.insert(notes).values({ workspaceId: inner, title: `refused ${outer}>${inner}` }));
        }).then(
          () => 'accepted',
          (e: unknown) => (e instanceof NestedWorkspaceError ? 'refused' : `failed: ${String(e)}`),
        );
      const accepted = (ws: string) => withWorkspace(app, ws, (tx) => withWorkspace(tx, ws, async (t) => (await t.select().from(notes)).every((n) => n.workspaceId === ws)));
      const login = (await connectionState()).role;

      // Both orders, interleaved on a pool of more than one connection.
      const results = await Promise.all([refused('wa', 'wb'), accepted('wa'), refused('wb', 'wa'), accepted('wb'), refused('wa', 'wb'), accepted('wb')]);

      expect(results).toEqual(['refused', true, 'refused', true, 'refused', true]);
      const states = await Promise.all([connectionState(), connectionState(), connectionState(), connectionState()]);
      expect(states).toEqual(states.map(() => ({ workspace: '', role: login })));
      expect(login).not.toBe(APP_ROLE);
      expect((await titlesOf('wa')).filter((t) => t.startsWith('refused'))).toEqual([]);
      expect((await titlesOf('wb')).filter((t) => t.startsWith('refused'))).toEqual([]);
    });
  });

  describe('when the application role is checked', () => {
    it('should own none of the package tables', async () => {
      const owners = await opened.client.query<{ tableowner: string }>(
        `SELECT DISTINCT tableowner FROM pg_tables WHERE tablename LIKE 'ydtb_%'`,
      );

      expect(owners.map((o) => o.tableowner)).not.toContain(APP_ROLE);
      expect(owners.length).toBeGreaterThan(0);
    });
  });

  describe('when a policy is altered or security is switched off in the live database', () => {
    it('should report it as drift and restore it on the next migrate, dropping the extra policy', async () => {
      await opened.client.exec(`ALTER POLICY ydtb_workspace_isolation ON ydtb_crm_contacts USING (true)`);
      await opened.client.exec(`ALTER TABLE ydtb_basic_note_tags DISABLE ROW LEVEL SECURITY`);
      await opened.client.exec(`CREATE POLICY leak ON ydtb_basic_notes FOR SELECT USING (true)`);

      const drift = await driftOf(opened.client, registry, defaultRegistryConfig);

      expect(drift.map((d) => [d.kind, d.table, d.message.split(': ')[1]]).sort()).toEqual([
        ['isolation', 'ydtb_basic_note_tags', 'row-level security is disabled. Run ydtb db migrate to restore it.'],
        ['isolation', 'ydtb_basic_notes', 'another permissive policy widens what each workspace can see. Run ydtb db migrate to restore it.'],
        ['isolation', 'ydtb_crm_contacts', 'the workspace isolation policy was altered. Run ydtb db migrate to restore it.'],
      ]);

      const repaired = await migrateDatabase(opened.client, registry, defaultRegistryConfig);
      expect(repaired.applied.flatMap((p) => p.securedTables).sort()).toEqual(['ydtb_basic_note_tags', 'ydtb_basic_notes', 'ydtb_crm_contacts']);
      expect(repaired.drift).toEqual([]);
      // The extra permissive policy is gone, not just reported.
      expect(await opened.client.query(`SELECT policyname FROM pg_policies WHERE tablename = 'ydtb_basic_notes' ORDER BY 1`)).toEqual([
        { policyname: 'ydtb_package_migration' },
        { policyname: 'ydtb_workspace_isolation' },
      ]);
    });
  });
});
