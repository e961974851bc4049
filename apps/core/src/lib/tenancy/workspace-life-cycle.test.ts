import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { eraseWorkspace } from './erase-workspace.ts';
import { exportWorkspace } from './export-workspace.ts';
import { checksums, exportedRows, kindsPackage, seedBasicAndCrm, seedCore, seedKinds, WORKSPACES } from './fixtures/life-cycle-fixtures.ts';
import { importWorkspace } from './import-workspace.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';
import { readErasures } from './workspace-erasures.ts';

afterAll(closeTemplatePglite);

const config = defaultRegistryConfig;
const registry = () => {
  const r = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  r.register(kindsPackage);
  return r;
};

describe.each(databaseKinds)('workspace export, erase and import on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;
  let folder: string;
  const dir = (name: string) => join(folder, name);
  const exportOf = (ws: string, name = `${ws}-${Math.random().toString(36).slice(2)}`) =>
    exportWorkspace(client, registry(), config, { workspaceId: ws, outDir: dir(name) }).then(() => dir(name));

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    folder = mkdtempSync(join(tmpdir(), 'ydtb-life-'));
    await migrateDatabase(client, registry(), config);
    await seedCore(client);
    for (const ws of WORKSPACES) {
      await seedBasicAndCrm(client, ws);
      await seedKinds(client, ws);
    }
  });

  afterEach(async () => {
    await release();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('when a workspace is exported', () => {
    it('should write its rows only, one file a table in dependency order, with a manifest', async () => {
      const out = await exportOf('ws_a');

      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.tables.map((t: { file: string }) => t.file)).toEqual([
        '001_ydtb_users.jsonl',
        '002_ydtb_workspaces.jsonl',
        '003_ydtb_workspace_members.jsonl',
        '004_ydtb_basic_notes.jsonl',
        '005_ydtb_basic_note_tags.jsonl',
        '006_ydtb_crm_contacts.jsonl',
        '007_ydtb_crm_contact_notes.jsonl',
        '008_ydtb_kinds_values.jsonl',
      ]);
      expect(manifest.packages).toEqual([
        { name: '@ydtb/core', version: '0.1.0' },
        { name: '@ydtb/basic', version: '1.0.0' },
        { name: '@ydtb/crm', version: '0.3.0' },
        { name: '@test/kinds', version: '1.0.0' },
      ]);
      expect(readdirSync(out).sort()).toEqual([...manifest.tables.map((t: { file: string }) => t.file), 'manifest.json'].sort());
      const rows = exportedRows(out);
      expect(Object.fromEntries([...rows].map(([table, { rows: r }]) => [table, r.length]))).toEqual({
        ydtb_users: 2,
        ydtb_workspaces: 1,
        ydtb_workspace_members: 2,
        ydtb_basic_notes: 3,
        ydtb_basic_note_tags: 3,
        ydtb_crm_contacts: 3,
        ydtb_crm_contact_notes: 3,
        ydtb_kinds_values: 3,
      });
      // No row of B or C: every workspace column holds A, and only A's users are there.
      for (const [table, { columns, rows: r }] of rows) {
        const at = columns.indexOf(table === 'ydtb_workspaces' ? 'id' : 'workspace_id');
        if (at >= 0) expect({ table, workspaces: [...new Set(r.map((row) => row[at]))] }).toEqual({ table, workspaces: ['ws_a'] });
      }
      expect(rows.get('ydtb_users')!.rows.map((r) => r[0]).sort()).toEqual(['user_shared', 'user_ws_a']);
      const text = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
      expect(text).not.toMatch(/ws_b|ws_c|ws-b|ws-c/);
    });

    it('should refuse a workspace that does not exist, and a folder that is not empty, writing nothing', async () => {
      expect(await rejectionOf(exportWorkspace(client, registry(), config, { workspaceId: 'nope', outDir: dir('nope') }))).toMatchObject({ problem: 'unknown-workspace' });
      expect(readdirSync(folder)).toEqual([]);
      writeFileSync(join(folder, 'x'), '');
      expect(await rejectionOf(exportWorkspace(client, registry(), config, { workspaceId: 'ws_a', outDir: folder }))).toMatchObject({ problem: 'folder-not-empty' });
    });
  });

  describe('when a workspace is exported, erased and imported again', () => {
    it('should give identical rows and leave the other workspaces byte-identical', async () => {
      const before = await exportOf('ws_a');
      const othersBefore = [checksums(await exportOf('ws_b')), checksums(await exportOf('ws_c'))];

      const erased = await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });

      expect(erased.tables.map((t) => [t.table, t.rows])).toEqual([
        ['ydtb_kinds_values', 3],
        ['ydtb_crm_contact_notes', 3],
        ['ydtb_crm_contacts', 3],
        ['ydtb_basic_note_tags', 3],
        ['ydtb_basic_notes', 3],
        ['ydtb_workspace_members', 2],
        ['ydtb_workspaces', 1],
      ]);
      expect(erased.proved).toEqual(expect.arrayContaining(['ydtb_workspaces', 'ydtb_workspace_members', 'ydtb_basic_notes', 'ydtb_kinds_values']));
      // As the migrator, not through row-level security: nothing of A is left anywhere.
      for (const table of erased.proved.filter((t) => t !== 'ydtb_workspaces')) {
        expect(await client.query(`SELECT 1 FROM ${table} WHERE workspace_id = 'ws_a'`)).toEqual([]);
      }
      const [audit] = await readErasures(client);
      expect(audit).toMatchObject({ workspaceId: 'ws_a', rowCounts: { ydtb_basic_notes: 3, ydtb_workspaces: 1 }, erasedBy: expect.any(String) });
      // Users are the platform's: kept.
      expect(await client.query(`SELECT id FROM ydtb_users ORDER BY id`)).toHaveLength(4);
      expect([checksums(await exportOf('ws_b')), checksums(await exportOf('ws_c'))]).toEqual(othersBefore);

      const imported = await importWorkspace(client, registry(), config, { dir: before });

      // Both of its users were kept by the erase (users are the platform's): kept as they are.
      expect(imported.tables.find((t) => t.table === 'ydtb_users')).toEqual({ table: 'ydtb_users', packageName: '@ydtb/core', rows: 0, kept: 2 });
      expect(checksums(await exportOf('ws_a'))).toEqual(checksums(before));
      expect([checksums(await exportOf('ws_b')), checksums(await exportOf('ws_c'))]).toEqual(othersBefore);
      // The identity sequence was moved past the imported ids: a new row gets a new id.
      await client.query(`SELECT set_config('ydtb.workspace_id', 'ws_a', false)`);
      const [fresh] = await client.query<{ id: number }>(`INSERT INTO ydtb_kinds_values (workspace_id) VALUES ('ws_a') RETURNING id`);
      await client.query(`SELECT set_config('ydtb.workspace_id', '', false)`);
      expect(fresh!.id).toBeGreaterThan(9);
      expect(await driftOf(client, registry(), config, { probe: true })).toEqual([]);
    });

    it('should round-trip jsonb, timestamps, arrays, bytea and numerics exactly', async () => {
      const snapshot = () =>
        client.query<{ r: string }>(`SELECT (doc, at, local, tags, blob, amount, ratio, big, label, doc::text, tags::text)::text AS r FROM ydtb_kinds_values WHERE workspace_id = 'ws_a' ORDER BY id`);
      const rows = await snapshot();
      const out = await exportOf('ws_a');
      await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
      await importWorkspace(client, registry(), config, { dir: out });

      expect(await snapshot()).toEqual(rows);
      // Values compare equal in SQL too, not only as text.
      const [same] = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ydtb_kinds_values a JOIN ydtb_kinds_values b ON a.id = b.id AND a.workspace_id = b.workspace_id
          WHERE a.workspace_id = 'ws_a' AND a.doc IS NOT DISTINCT FROM b.doc AND a.blob IS NOT DISTINCT FROM b.blob`,
      );
      expect(same!.n).toBe(3);
    });
  });

  describe('when an import is refused', () => {
    it('should refuse a corrupted file by its checksum before writing anything', async () => {
      const out = await exportOf('ws_a');
      await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
      const file = join(out, '004_ydtb_basic_notes.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Note 1', 'Note 9'));

      const error = await rejectionOf(importWorkspace(client, registry(), config, { dir: out }));

      expect(error).toBeInstanceOf(TransferRefusedError);
      expect(error).toMatchObject({ problem: 'checksum', details: [expect.stringMatching(/^004_ydtb_basic_notes\.jsonl: sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/)] });
      expect(await client.query(`SELECT 1 FROM ydtb_workspaces WHERE id = 'ws_a'`)).toEqual([]);
    });

    it('should report every file of the export that is missing before writing anything', async () => {
      const out = await exportOf('ws_a');
      await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
      rmSync(join(out, '005_ydtb_basic_note_tags.jsonl'));
      rmSync(join(out, '008_ydtb_kinds_values.jsonl'));
      const loaded: string[] = [];

      const error = await rejectionOf(importWorkspace(client, registry(), config, { dir: out, onTable: ({ table }) => loaded.push(table) }));

      expect(error).toBeInstanceOf(TransferRefusedError);
      expect(error).toMatchObject({ problem: 'checksum', details: ['005_ydtb_basic_note_tags.jsonl: missing', '008_ydtb_kinds_values.jsonl: missing'] });
      expect(loaded).toEqual([]);
      expect(await client.query(`SELECT 1 FROM ydtb_workspaces WHERE id = 'ws_a'`)).toEqual([]);
      expect(await client.query(`SELECT 1 FROM ydtb_basic_notes WHERE workspace_id = 'ws_a'`)).toEqual([]);
    });

    it('should refuse a workspace that exists, other package versions, and a missing package', async () => {
      const out = await exportOf('ws_a');
      expect(await rejectionOf(importWorkspace(client, registry(), config, { dir: out }))).toMatchObject({ problem: 'workspace-exists' });
      await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
      const other = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
      other.register({ ...kindsPackage, version: '1.1.0' });
      expect(await rejectionOf(importWorkspace(client, other, config, { dir: out }))).toMatchObject({
        problem: 'versions',
        details: ['@test/kinds: exported from 1.0.0, installed 1.1.0'],
      });
      const without = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
      expect(await rejectionOf(importWorkspace(client, without, config, { dir: out }))).toMatchObject({ problem: 'versions', details: ['@test/kinds 1.0.0: not installed'] });
      expect(await client.query(`SELECT 1 FROM ydtb_workspaces WHERE id = 'ws_a'`)).toEqual([]);
    });

    it('should refuse a file holding a row of another workspace, writing nothing', async () => {
      const out = await exportOf('ws_a');
      await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
      // A forged export: its checksums match, one row names workspace B.
      const file = join(out, '006_ydtb_crm_contacts.jsonl');
      const forged = readFileSync(file, 'utf8').replace('"ws_a"', '"ws_b"');
      writeFileSync(file, forged);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      const entry = manifest.tables.find((t: { file: string }) => t.file === '006_ydtb_crm_contacts.jsonl');
      entry.sha256 = (await import('node:crypto')).createHash('sha256').update(forged).digest('hex');
      entry.bytes = Buffer.byteLength(forged);
      writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));

      expect(await rejectionOf(importWorkspace(client, registry(), config, { dir: out }))).toMatchObject({ problem: 'foreign-row' });
      expect(await client.query(`SELECT 1 FROM ydtb_workspaces WHERE id = 'ws_a'`)).toEqual([]);
    });
  });

  describe('when a workspace is erased without confirmation', () => {
    it('should count what would be deleted and change nothing', async () => {
      const before = checksums(await exportOf('ws_a'));

      const result = await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a', dryRun: true });

      expect(result.dryRun).toBe(true);
      expect(result.tables.reduce((sum, t) => sum + t.rows, 0)).toBe(18);
      expect(checksums(await exportOf('ws_a'))).toEqual(before);
      expect(await readErasures(client)).toEqual([]);
    });
  });
});
