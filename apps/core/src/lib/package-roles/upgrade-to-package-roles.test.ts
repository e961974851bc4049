import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../test/test-databases.ts';
import { APP_ROLE, WORKSPACE_SETTING } from '../isolation/isolation-settings.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { packageRole } from './package-role.ts';

/*
 * A database migrated before packages had roles: the migrator owns every package object and the
 * tables carry the workspace policy alone. The first migrate of this version gives each
 * package's objects to its role, adds the migration policy, and keeps every row.
 */

const registry = () => createContainer([basicModule, crmModule]).get(DatabaseRegistry);
const ROLES = [packageRole('@ydtb/basic'), packageRole('@ydtb/crm')];

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('upgrading a database migrated before package roles on $name', (kind) => {
  let db: OpenedTestClient;
  const rows = () =>
    db.client.query<{ workspace_id: string; title: string }>(`SELECT workspace_id, title FROM ydtb_basic_notes ORDER BY title`);
  const owners = () =>
    db.client.query<{ relname: string; owner: string }>(
      `SELECT relname::text, pg_get_userbyid(relowner)::text AS owner FROM pg_class WHERE relname IN ('ydtb_basic_notes', 'ydtb_crm_contacts') ORDER BY 1`,
    );

  beforeAll(async () => {
    db = await kind.open();
    await migrateDatabase(db.client, registry(), defaultRegistryConfig);
    await db.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b');`);
    for (const ws of ['wa', 'wb']) {
      await db.client.transaction(async (tx) => {
        await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, ws]);
        await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
        await tx.query(`INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ($1, $2)`, [ws, `note of ${ws}`]);
      });
    }
    // What the previous version left: every object the migrator's, the workspace policy alone.
    // (Roles are the cluster's: other databases of the test server keep theirs.)
    const tables = await db.client.query<{ tablename: string }>(`SELECT tablename::text FROM pg_policies WHERE policyname = 'ydtb_package_migration'`);
    for (const { tablename } of tables) await db.client.exec(`DROP POLICY ydtb_package_migration ON "${tablename}"`);
    for (const role of ROLES) await db.client.exec(`REASSIGN OWNED BY ${role} TO CURRENT_USER`);
  }, 120_000);

  afterAll(async () => {
    await db?.release();
  });

  it('should report the objects another role owns, and the missing migration policy', async () => {
    const drift = await driftOf(db.client, registry(), defaultRegistryConfig);

    expect(drift.filter((d) => d.kind === 'owner').map((d) => d.table)).toEqual(expect.arrayContaining(['ydtb_basic_notes', 'ydtb_crm_contacts']));
    expect(drift.find((d) => d.kind === 'owner' && d.table === 'ydtb_basic_notes')?.message).toMatch(
      /^The table "ydtb_basic_notes" of @ydtb\/basic is owned by \w+, not by the package's role ydtb_pkg_ydtb_basic/,
    );
    expect(drift.some((d) => d.kind === 'isolation' && d.table === 'ydtb_basic_notes')).toBe(true);
  });

  it('should give every object to its package\'s role on the next migrate, and keep every row', async () => {
    const before = await rows();

    const result = await migrateDatabase(db.client, registry(), defaultRegistryConfig);

    expect(result.drift).toEqual([]);
    expect(await owners()).toEqual([
      { relname: 'ydtb_basic_notes', owner: packageRole('@ydtb/basic') },
      { relname: 'ydtb_crm_contacts', owner: packageRole('@ydtb/crm') },
    ]);
    expect(await rows()).toEqual(before);
    expect(before).toHaveLength(2);
    expect((await migrateDatabase(db.client, registry(), defaultRegistryConfig)).drift).toEqual([]);
  });
});
