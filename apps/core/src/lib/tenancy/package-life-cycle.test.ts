import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { readHistory, readHistoryLog } from '../migrations/history.ts';
import { driftOf, migrateDatabase, planDatabase } from '../migrations/migrate-database.ts';
import { tableNames } from '../migrations/test-packages.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { exportWorkspace } from './export-workspace.ts';
import { checksums, seedBasicAndCrm, seedCore, WORKSPACES } from './fixtures/life-cycle-fixtures.ts';
import { restorePackage } from './restore-package.ts';
import { uninstallPackage } from './uninstall-package.ts';
import { packageRole } from '../package-roles/package-role.ts';

afterAll(closeTemplatePglite);

const config = defaultRegistryConfig;
const withCrm = () => createContainer([basicModule, crmModule]).get(DatabaseRegistry);
const withoutCrm = () => createContainer([basicModule]).get(DatabaseRegistry);

describe.each(databaseKinds)('package uninstall and restore on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;
  let folder: string;
  const exportAll = async () => {
    const sums = [];
    for (const ws of WORKSPACES) {
      const out = join(folder, `${ws}-${Math.random().toString(36).slice(2)}`);
      await exportWorkspace(client, withCrm(), config, { workspaceId: ws, outDir: out });
      sums.push(checksums(out));
    }
    return sums;
  };

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    folder = mkdtempSync(join(tmpdir(), 'ydtb-uninstall-'));
    await migrateDatabase(client, withCrm(), config);
    await seedCore(client);
    for (const ws of WORKSPACES) await seedBasicAndCrm(client, ws, 4);
  });

  afterEach(async () => {
    await release();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('when @ydtb/crm is uninstalled, migrated again and restored', () => {
    it('should give identical rows, and a clean database while it is removed from the config', async () => {
      const before = await exportAll();
      const out = join(folder, 'crm');
      // What a migration of crm could make without declaring it: its role owns it.
      await client.exec(`CREATE FUNCTION ydtb_crm_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        ALTER FUNCTION ydtb_crm_touch() OWNER TO ${packageRole('@ydtb/crm')};`);

      const result = await uninstallPackage(client, withCrm(), config, { packageName: '@ydtb/crm', exportDir: out });

      expect(result.tables).toEqual([
        { table: 'ydtb_crm_contacts', rows: 12 },
        { table: 'ydtb_crm_contact_notes', rows: 12 },
      ]);
      expect(result.migrations).toEqual(['0001_init', '0002_note_link_index']);
      expect(readdirSync(out).sort()).toEqual(['001_ydtb_crm_contacts.jsonl', '002_ydtb_crm_contact_notes.jsonl', 'manifest.json']);
      expect(await tableNames(client)).not.toContain('ydtb_crm_contacts');
      expect(await client.query(`SELECT to_regprocedure('ydtb_crm_touch()')::text AS f`)).toEqual([{ f: null }]);
      expect((await readHistoryLog(client)).filter((r) => r.packageName === '@ydtb/crm').map((r) => [r.status, r.revertedBy !== null])).toEqual([
        ['uninstalled', true],
        ['uninstalled', true],
      ]);
      // Removed from the config: migrate and status are clean.
      expect((await readHistory(client)).some((r) => r.packageName === '@ydtb/crm')).toBe(false);
      expect((await planDatabase(client, withoutCrm())).uninstalled).toEqual([]);
      expect(await driftOf(client, withoutCrm(), config, { probe: true })).toEqual([]);
      expect((await migrateDatabase(client, withoutCrm(), config)).drift).toEqual([]);

      // Listed again: migrate recreates its tables, restore loads the rows back.
      const again = await migrateDatabase(client, withCrm(), config);
      expect(again.applied.map((p) => [p.packageName, p.migrationIds])).toEqual([['@ydtb/crm', ['0001_init', '0002_note_link_index']]]);
      const restored = await restorePackage(client, withCrm(), config, { dir: out });

      expect(restored.tables).toEqual(result.tables);
      expect(await exportAll()).toEqual(before);
      expect(await driftOf(client, withCrm(), config, { probe: true })).toEqual([]);
      // A second restore finds the tables filled and writes nothing.
      expect(await rejectionOf(restorePackage(client, withCrm(), config, { dir: out }))).toMatchObject({ problem: 'not-empty' });
    });

    it('should list what it would do on a dry run and change nothing', async () => {
      const result = await uninstallPackage(client, withCrm(), config, { packageName: '@ydtb/crm', dryRun: true });

      expect(result).toMatchObject({ dryRun: true, tables: [{ table: 'ydtb_crm_contacts', rows: 12 }, { table: 'ydtb_crm_contact_notes', rows: 12 }] });
      expect(result.dropped.tables).toEqual(['ydtb_crm_contact_notes', 'ydtb_crm_contacts']);
      expect(await tableNames(client)).toContain('ydtb_crm_contacts');
      expect(await driftOf(client, withCrm(), config)).toEqual([]);
    });
  });

  describe('when a package others depend on is uninstalled', () => {
    it('should refuse naming the installed dependent, and change nothing', async () => {
      const out = join(folder, 'basic');
      const error = await rejectionOf(uninstallPackage(client, withCrm(), config, { packageName: '@ydtb/basic', exportDir: out }));

      expect(error).toMatchObject({ problem: 'dependents' });
      expect(error.message).toBe('Cannot uninstall @ydtb/basic: @ydtb/crm depends on it and has tables in this database. Uninstall @ydtb/crm first; nothing was changed.');
      expect(await tableNames(client)).toContain('ydtb_basic_notes');
      expect(() => readdirSync(out)).toThrow();
    });

    it('should drop its enum type too once its dependent is gone', async () => {
      await uninstallPackage(client, withCrm(), config, { packageName: '@ydtb/crm', exportDir: join(folder, 'crm') });
      const result = await uninstallPackage(client, withCrm(), config, { packageName: '@ydtb/basic', exportDir: join(folder, 'basic') });

      expect(result.dropped.types).toEqual(['ydtb_basic_note_status']);
      expect(await client.query(`SELECT 1 FROM pg_type WHERE typname = 'ydtb_basic_note_status'`)).toEqual([]);
      expect(await tableNames(client)).toEqual(['ydtb_migration_history', 'ydtb_schema_epoch', 'ydtb_users', 'ydtb_workspace_members', 'ydtb_workspaces']);
      const core = createContainer([]).get(DatabaseRegistry);
      expect(await driftOf(client, core, config)).toEqual([]);
    });
  });
});
