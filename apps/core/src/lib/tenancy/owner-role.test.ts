import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { postgresClient } from '../database/postgres-client.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { eraseWorkspace } from './erase-workspace.ts';
import { exportWorkspace } from './export-workspace.ts';
import { checksums, seedBasicAndCrm, seedCore } from './fixtures/life-cycle-fixtures.ts';
import { importWorkspace } from './import-workspace.ts';
import { restorePackage } from './restore-package.ts';
import { uninstallPackage } from './uninstall-package.ts';

/*
 * The migrator of a production deployment owns the tables but is no superuser, so forced
 * row-level security binds it too: the erase proof and the package export must lift it (and put
 * it back) rather than count through it. A role and a database of their own on the test server.
 */
describe('the life cycle as the tables owner, not a superuser', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = `ydtb_owner_${suffix}`;
  const database = `ydtb_owned_${suffix}`;
  let admin: SqlClient;
  let owner: SqlClient;
  let folder: string;
  const registry = () => createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  const config = defaultRegistryConfig;

  beforeAll(async () => {
    admin = postgresClient(process.env.YDTB_TEST_POSTGRES_URL!);
    await admin.exec(`CREATE ROLE ${role} LOGIN CREATEROLE`);
    await admin.exec(`CREATE DATABASE ${database} OWNER ${role}`);
    const url = new URL(process.env.YDTB_TEST_POSTGRES_URL!);
    url.username = role;
    url.pathname = `/${database}`;
    owner = postgresClient(url.toString());
    folder = mkdtempSync(join(tmpdir(), 'ydtb-owner-'));
    await migrateDatabase(owner, registry(), config);
    await seedCore(owner);
    for (const ws of ['ws_a', 'ws_b', 'ws_c']) await seedBasicAndCrm(owner, ws, 5);
  });

  afterAll(async () => {
    await owner?.close();
    await admin?.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.exec(`DROP ROLE IF EXISTS ${role}`);
    await admin?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should be bound by forced row-level security to begin with', async () => {
    expect(await owner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`)).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    expect(await owner.query(`SELECT count(*)::int AS n FROM ydtb_basic_notes`)).toEqual([{ n: 0 }]);
  });

  it('should export, erase with its proof and import a workspace, and keep every table forced', async () => {
    const out = join(folder, 'a');
    const other = join(folder, 'b');
    await exportWorkspace(owner, registry(), config, { workspaceId: 'ws_a', outDir: out });
    await exportWorkspace(owner, registry(), config, { workspaceId: 'ws_b', outDir: other });

    const erased = await eraseWorkspace(owner, registry(), config, { workspaceId: 'ws_a' });

    expect(erased.tables.find((t) => t.table === 'ydtb_basic_notes')).toMatchObject({ rows: 5 });
    expect(erased.proved).toEqual(expect.arrayContaining(['ydtb_basic_notes', 'ydtb_crm_contact_notes']));
    expect(await owner.query(`SELECT relname FROM pg_class WHERE relname LIKE 'ydtb_%' AND relkind = 'r' AND relrowsecurity AND NOT relforcerowsecurity`)).toEqual([]);
    await importWorkspace(owner, registry(), config, { dir: out });
    const again = join(folder, 'a2');
    await exportWorkspace(owner, registry(), config, { workspaceId: 'ws_a', outDir: again });
    expect(checksums(again)).toEqual(checksums(out));
    const otherAgain = join(folder, 'b2');
    await exportWorkspace(owner, registry(), config, { workspaceId: 'ws_b', outDir: otherAgain });
    expect(checksums(otherAgain)).toEqual(checksums(other));
    expect(await driftOf(owner, registry(), config, { probe: true })).toEqual([]);
  });

  it('should refuse an erase and roll it back when a row escaped the deletes', async () => {
    // Drift made by hand: a restrictive policy (migrate keeps those) hides one note from the
    // application role's delete, and without its workspace foreign key nothing cascades to it.
    // Only a count that does not go through row-level security sees it.
    const fk = 'ydtb_basic_notes_workspace_id_ydtb_workspaces_id_fk';
    await owner.exec(`CREATE POLICY ydtb_hide_one ON ydtb_basic_notes AS RESTRICTIVE FOR ALL TO PUBLIC USING (title NOT LIKE 'Note 1 %');
      ALTER TABLE ydtb_basic_notes DROP CONSTRAINT ${fk}`);
    try {
      const error = await eraseWorkspace(owner, registry(), config, { workspaceId: 'ws_c' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ problem: 'rows-remain', details: ['ydtb_basic_notes: 1 row(s)'] });
      expect(await owner.query(`SELECT id FROM ydtb_workspaces WHERE id = 'ws_c'`)).toEqual([{ id: 'ws_c' }]);
      expect(await owner.query(`SELECT relname FROM pg_class WHERE relname LIKE 'ydtb_%' AND relkind = 'r' AND relrowsecurity AND NOT relforcerowsecurity`)).toEqual([]);
    } finally {
      await owner.exec(`DROP POLICY ydtb_hide_one ON ydtb_basic_notes;
        ALTER TABLE ydtb_basic_notes ADD CONSTRAINT ${fk} FOREIGN KEY (workspace_id) REFERENCES ydtb_workspaces(id) ON DELETE CASCADE`);
    }
  });

  it('should export every workspace of a package on uninstall and restore them', async () => {
    const out = join(folder, 'crm');
    const result = await uninstallPackage(owner, registry(), config, { packageName: '@ydtb/crm', exportDir: out });
    expect(result.tables).toEqual([
      { table: 'ydtb_crm_contacts', rows: 15 },
      { table: 'ydtb_crm_contact_notes', rows: 15 },
    ]);
    await migrateDatabase(owner, registry(), config);
    const restored = await restorePackage(owner, registry(), config, { dir: out });
    expect(restored.tables).toEqual(result.tables);
    expect(await driftOf(owner, registry(), config, { probe: true })).toEqual([]);
  });
});
