import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { runCliCaptured } from '../run-cli-captured.ts';

/** Runs the CLI in-process against an embedded database in `dataDir`. */
const ydtb = (args: string, dataDir: string) => runCliCaptured(args.split(' '), { env: { YDTB_DATA_DIR: dataDir } });

/** Changes the embedded database behind the CLI's back, as an operator with psql would. */
async function sql<T>(dataDir: string, text: string): Promise<T[]> {
  const pg = await PGlite.create(dataDir);
  try {
    const results = await pg.exec(text);
    return (results.at(-1)?.rows ?? []) as T[];
  } finally {
    await pg.close();
  }
}

const SEED = `
INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('acme', 'Acme', 'acme'), ('globex', 'Globex', 'globex');
INSERT INTO ydtb_users (id, email) VALUES ('u1', 'u1@example.test');
INSERT INTO ydtb_workspace_members (workspace_id, user_id) VALUES ('acme', 'u1');
SELECT set_config('ydtb.workspace_id', 'acme', false);
INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('acme', 'first'), ('acme', 'second');
INSERT INTO ydtb_crm_contacts (workspace_id, name) VALUES ('acme', 'Ada');
SELECT set_config('ydtb.workspace_id', 'globex', false);
INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('globex', 'theirs');`;

describe('ydtb workspace and package life-cycle commands', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ydtb-life-cli-'));
    dataDir = join(folder, 'pglite');
    expect((await ydtb('db migrate', dataDir)).code).toBe(0);
    await sql(dataDir, SEED);
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('when a workspace is exported, erased and imported', () => {
    it('should report each step, exit 0 and give the rows back', async () => {
      const out = join(folder, 'acme');
      const exported = await ydtb(`workspace export acme --out ${out}`, dataDir);
      expect(exported.code).toBe(0);
      expect(exported.out).toBe(`Exported workspace "acme" from the embedded PGlite at ${dataDir}: 6 rows in 7 tables to ${out} (checksums in manifest.json).`);
      expect(exported.err).toMatch(/^ {2}exported ydtb_basic_notes: 2 rows \(\d+ ms\)$/m);

      const dryRun = await ydtb('workspace erase acme', dataDir);
      expect(dryRun.code).toBe(0);
      expect(dryRun.out).toBe(
        [
          `Dry run: erasing workspace "acme" in the embedded PGlite at ${dataDir} would delete 5 rows:`,
          '  ydtb_crm_contact_notes (@ydtb/crm): 0 rows',
          '  ydtb_crm_contacts (@ydtb/crm): 1 row',
          '  ydtb_basic_note_tags (@ydtb/basic): 0 rows',
          '  ydtb_basic_notes (@ydtb/basic): 2 rows',
          '  ydtb_workspace_members (@ydtb/core): 1 row',
          '  ydtb_workspaces (@ydtb/core): 1 row',
          'Nothing was changed; run again with --yes to erase.',
        ].join('\n'),
      );

      const erased = await ydtb('workspace erase acme --yes --json', dataDir);
      expect(erased.code).toBe(0);
      expect(JSON.parse(erased.out)).toMatchObject({ workspaceId: 'acme', dryRun: false, erasureId: 1, tables: expect.arrayContaining([{ table: 'ydtb_basic_notes', packageName: '@ydtb/basic', rows: 2 }]) });
      expect(await sql(dataDir, `SELECT workspace_id, title FROM ydtb_basic_notes WHERE workspace_id = 'acme'`)).toEqual([]);
      expect((await ydtb('db status', dataDir)).code).toBe(0);

      const imported = await ydtb(`workspace import ${out}`, dataDir);
      expect(imported.code).toBe(0);
      expect(imported.out).toBe(`Imported workspace "acme" from ${out} into the embedded PGlite at ${dataDir}: 5 rows in 7 tables (1 shared row already here kept as they are).`);
      expect((await sql<{ title: string }>(dataDir, `SELECT title FROM ydtb_basic_notes ORDER BY title`)).map((r) => r.title)).toEqual(['first', 'second', 'theirs']);

      const again = await ydtb(`workspace import ${out}`, dataDir);
      expect(again).toMatchObject({ code: 1, err: expect.stringContaining('Workspace "acme" already exists here; nothing was written.') });
    });
  });

  describe('when an export file was damaged', () => {
    it('should exit 1 naming the file, before writing anything', async () => {
      const out = join(folder, 'globex');
      expect((await ydtb(`workspace export globex --out ${out}`, dataDir)).code).toBe(0);
      expect((await ydtb('workspace erase globex --yes', dataDir)).code).toBe(0);
      const file = join(out, readdirSync(out).find((f) => f.endsWith('ydtb_basic_notes.jsonl'))!);
      writeFileSync(file, readFileSync(file, 'utf8').replace('theirs', 'THEIRS'));

      const result = await ydtb(`workspace import ${out}`, dataDir);

      expect(result.code).toBe(1);
      expect(result.err).toContain(`The export in ${out} is damaged: 1 file(s) differ from its manifest. Nothing was written; export again or use an intact copy.\n  004_ydtb_basic_notes.jsonl: sha256 `);
      expect(await sql(dataDir, `SELECT 1 FROM ydtb_workspaces WHERE id = 'globex'`)).toEqual([]);
    });
  });

  describe('when a package is uninstalled and restored', () => {
    it('should refuse @ydtb/basic while @ydtb/crm is installed, then take @ydtb/crm out and back', async () => {
      const basic = await ydtb(`db uninstall @ydtb/basic --export ${join(folder, 'basic')} --yes`, dataDir);
      expect(basic).toMatchObject({ code: 1, err: expect.stringContaining('Cannot uninstall @ydtb/basic: @ydtb/crm depends on it and has tables in this database. Uninstall @ydtb/crm first; nothing was changed.') });
      expect(await ydtb('db uninstall @ydtb/crm --yes', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('db uninstall --yes needs --export <dir>') });
      expect(await ydtb('db uninstall @ydtb/core', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('@ydtb/core is the platform itself and cannot be uninstalled.') });

      const out = join(folder, 'crm');
      const uninstalled = await ydtb(`db uninstall @ydtb/crm --export ${out} --yes`, dataDir);
      expect(uninstalled.code).toBe(0);
      expect(uninstalled.out).toBe(
        [
          `Uninstalled @ydtb/crm 0.3.0 from the embedded PGlite at ${dataDir}: 1 row exported to ${out} (checksums in manifest.json), then:`,
          '  ydtb_crm_contacts: 1 row',
          '  ydtb_crm_contact_notes: 0 rows',
          '  drop: table ydtb_crm_contact_notes, table ydtb_crm_contacts',
          '  history: 0001_init, 0002_note_link_index marked uninstalled',
          `Remove it from ydtb.config.ts now; to bring it back, list it again, run ydtb db migrate, then ydtb db restore ${out}.`,
        ].join('\n'),
      );
      // Still listed in the config: status says its migration is pending again; migrate recreates it.
      expect((await ydtb('db status', dataDir)).code).toBe(4);
      expect((await ydtb('db migrate', dataDir)).code).toBe(0);

      const restored = await ydtb(`db restore ${out} --json`, dataDir);
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.out)).toMatchObject({ packageName: '@ydtb/crm', dryRun: false, tables: [{ table: 'ydtb_crm_contacts', rows: 1 }, { table: 'ydtb_crm_contact_notes', rows: 0 }] });
      expect(await sql(dataDir, `SELECT workspace_id, name FROM ydtb_crm_contacts`)).toEqual([{ workspace_id: 'acme', name: 'Ada' }]);
      expect((await ydtb('db status', dataDir)).code).toBe(0);
      expect(await ydtb(`workspace import ${out}`, dataDir)).toMatchObject({ code: 2, err: expect.stringContaining(`holds an export of the package @ydtb/crm, not of a workspace: load it with ydtb db restore`) });
    });
  });

  describe('when the command line is wrong', () => {
    it('should exit 2 with the reason', async () => {
      expect(await ydtb('workspace export acme', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('workspace export needs --out <dir>') });
      const file = join(folder, 'a-file.json');
      writeFileSync(file, '{}');
      expect(await ydtb(`workspace export acme --out ${file}`, dataDir)).toMatchObject({ code: 2, err: expect.stringContaining(`--out ${file} is an existing file: workspace export writes a folder`) });
      expect(await ydtb(`workspace export acme --out ${file}/acme`, dataDir)).toMatchObject({ code: 2, err: expect.stringContaining(`lies under ${file}, an existing file`) });
      expect(await ydtb('workspace erase', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('workspace erase takes exactly one workspace id') });
      expect(await ydtb('workspace erase acme --yes --dry-run', dataDir)).toMatchObject({ code: 2 });
      expect(await ydtb('db restore', dataDir)).toMatchObject({ code: 2 });
      expect((await ydtb('workspace import --help', dataDir)).out).toContain('Usage: ydtb workspace import <dir>');
    });
  });
});
