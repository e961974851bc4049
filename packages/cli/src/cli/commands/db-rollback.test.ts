import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCliCaptured } from '../run-cli-captured.ts';

const TWO_STEP_CRM = 'packages/cli/src/cli/fixtures/two-step-crm-modules.ts';
const BASIC_WITHOUT_DOWN = 'packages/cli/src/cli/fixtures/basic-without-down-modules.ts';

/** Runs the CLI in-process against an embedded database in `dataDir`, with a package config. */
const ydtb = (args: string, dataDir: string, config = TWO_STEP_CRM) =>
  runCliCaptured([...args.split(' '), '--config', config], { env: { YDTB_DATA_DIR: dataDir } });

interface StatusJson {
  packages: { packageName: string; pending: string[]; drift: unknown[]; history: { migrationId: string; status: string; appliedBy: string; revertedBy: string | null; revertedAt: string | null }[] }[];
}
const crmOf = (status: { out: string }) => (JSON.parse(status.out) as StatusJson).packages.find((p) => p.packageName === '@ydtb/crm')!;

describe('ydtb db rollback', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ydtb-rollback-'));
    expect((await ydtb('db migrate', dataDir)).code).toBe(0);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('when the command line is wrong or asks for help', () => {
    it('should print the usage, or exit 2 naming what is wrong', async () => {
      expect(await ydtb('db rollback --help', dataDir)).toMatchObject({ code: 0, out: expect.stringContaining('--to none          undo every applied migration') });
      expect(await ydtb('db rollback', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('db rollback takes exactly one package name') });
      expect(await ydtb('db rollback @ydtb/crm --to 0001_init --steps 1', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('--to or --steps, not both') });
      expect(await ydtb('db rollback @ydtb/crm --steps 0', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('--steps takes a whole number of migrations, at least 1, not "0"') });
      expect(await ydtb('db rollback @ydtb/nope', dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('Package "@ydtb/nope" is not registered. Registered packages: @ydtb/core, @ydtb/basic, @ydtb/crm.') });
      expect(await ydtb('db rollback @ydtb/crm --to 0009_later', dataDir)).toMatchObject({
        code: 2,
        err: expect.stringContaining('@ydtb/crm ships no migration "0009_later". Its migrations: 0001_init, 0002_note_link_index, 0003_phone; --to none undoes every one.'),
      });
    });
  });

  describe('when a package that depends on it has tables', () => {
    it('should exit 1 naming the package and its tables', async () => {
      const run = await ydtb('db rollback @ydtb/basic', dataDir);

      expect(run.code).toBe(1);
      expect(run.err).toContain(
        [
          'Cannot roll back @ydtb/basic (nothing was changed): packages that depend on it have tables in the database, which removing its tables would break:',
          '  @ydtb/crm: ydtb_crm_contact_notes, ydtb_crm_contacts',
          "Roll them back first (ydtb db rollback @ydtb/crm --to none), or keep @ydtb/basic's tables by rolling back to a later migration (--to <migration>).",
        ].join('\n'),
      );
    });
  });

  describe('when it is a dry run', () => {
    it('should print the down SQL with --json and change nothing', async () => {
      const run = await ydtb('db rollback @ydtb/crm --to none --dry-run --json', dataDir);

      expect(run.code).toBe(0);
      const result = JSON.parse(run.out) as { remaining: null; dryRun: boolean; migrations: { migrationId: string; down: string }[] };
      expect(result).toMatchObject({ remaining: null, dryRun: true });
      expect(result.migrations.map((m) => m.migrationId)).toEqual(['0003_phone', '0002_note_link_index', '0001_init']);
      expect(result.migrations[0]!.down).toBe('ALTER TABLE "ydtb_crm_contacts" DROP COLUMN "phone";');
      expect(crmOf(await ydtb('db status --json', dataDir)).pending).toEqual([]);
    });
  });

  describe('when crm is rolled back to the last migration it ships', () => {
    it('should print a line per migration, leave it pending with who and when in status, and migrate should apply it again', async () => {
      const run = await ydtb('db rollback @ydtb/crm --to 0002_note_link_index', dataDir);

      expect(run.code).toBe(0);
      expect(run.out).toMatch(/ {2}@ydtb\/crm 0\.3\.0: rolling back 1 migration, newest first, in one transaction…\n {4}0003_phone \(\d+ ms\)\n/);
      expect(run.out).toContain('Rolled back @ydtb/crm: 0003_phone undone, pending again (ydtb db migrate applies it); 0002_note_link_index is its last applied migration.');
      expect(run.out).toContain('Verified: no drift; row-level security and grants applied to the 2 tables of @ydtb/crm that remain.');

      const status = await ydtb('db status --json', dataDir);
      expect(status.code).toBe(4);
      const crm = crmOf(status);
      expect(crm).toMatchObject({ pending: ['0003_phone'], drift: [] });
      expect(crm.history.map((h) => [h.migrationId, h.status, h.appliedBy, h.revertedBy])).toEqual([
        ['0001_init', 'applied', 'postgres', null],
        ['0002_note_link_index', 'applied', 'postgres', null],
        ['0003_phone', 'rolled_back', 'postgres', 'postgres'],
      ]);
      expect(Date.parse(crm.history[2]!.revertedAt!)).not.toBeNaN();
      const text = await ydtb('db status', dataDir);
      expect(text.out).toContain('  @ydtb/crm 0.3.0: 2 applied, 1 pending (0003_phone), 0 drift\n');
      expect(text.out).toMatch(/ {4}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 0003_phone rolled back by postgres\n/);

      expect((await ydtb('db migrate', dataDir)).code).toBe(0);

      const after = await ydtb('db status --json', dataDir);
      expect(after.code).toBe(0);
      expect(crmOf(after).history.map((h) => [h.migrationId, h.status])).toEqual([
        ['0001_init', 'applied'],
        ['0002_note_link_index', 'applied'],
        ['0003_phone', 'rolled_back'],
        ['0003_phone', 'applied'],
      ]);
    });

    it('should report the same with --json', async () => {
      const run = await ydtb('db rollback @ydtb/crm --json', dataDir);

      expect(run.code).toBe(0);
      const result = JSON.parse(run.out) as { remaining: string; dryRun: boolean; drift: unknown[]; migrations: { migrationId: string; status: string; durationMs: number }[] };
      expect(result).toMatchObject({ remaining: '0002_note_link_index', dryRun: false, drift: [] });
      expect(result.migrations).toEqual([{ migrationId: '0003_phone', status: 'applied', durationMs: expect.any(Number), down: expect.stringContaining('DROP COLUMN "phone"') }]);
    });
  });

  describe('when the migration to undo ships no down SQL', () => {
    it('should exit 1 naming it', async () => {
      const other = mkdtempSync(join(tmpdir(), 'ydtb-rollback-'));
      try {
        expect((await ydtb('db migrate', other, BASIC_WITHOUT_DOWN)).code).toBe(0);

        const run = await ydtb('db rollback @ydtb/basic', other, BASIC_WITHOUT_DOWN);

        expect(run.code).toBe(1);
        expect(run.err).toContain('Cannot roll back @ydtb/basic (nothing was changed): 0002_pinned has no down SQL (NNNN_name.down.sql beside the migration).');
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    });
  });
});
