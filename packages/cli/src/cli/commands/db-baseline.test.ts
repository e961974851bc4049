import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { runCliCaptured } from '../run-cli-captured.ts';

/** Runs the CLI in-process against an embedded database in `dataDir`. */
const ydtb = (args: string[], dataDir: string) => runCliCaptured(args, { env: { YDTB_DATA_DIR: dataDir } });

/** Changes the embedded database behind the CLI's back, as an operator with psql would. */
async function tamper(dataDir: string, sql: string): Promise<void> {
  const pg = await PGlite.create(dataDir);
  try {
    await pg.exec(sql);
  } finally {
    await pg.close();
  }
}

/** @ydtb/crm's tables stay, its history goes: as if they had been made by drizzle-kit push. */
const FORGET_CRM = `DELETE FROM ydtb_migration_history WHERE package_name = '@ydtb/crm';`;

describe('ydtb db baseline and ydtb db repair', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ydtb-baseline-'));
    expect((await ydtb(['db', 'migrate'], dataDir)).code).toBe(0);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('when the command line is wrong or asks for help', () => {
    it('should print the usage, or exit 2 naming what is wrong', async () => {
      expect((await ydtb(['db', 'baseline', '--help'], dataDir)).out).toContain('Usage: ydtb db baseline <package> [--to <migration>]');
      expect((await ydtb(['db', 'repair', '--help'], dataDir)).out).toContain('Usage: ydtb db repair <package> <migration> --reason');
      expect(await ydtb(['db', 'baseline'], dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('db baseline takes exactly one package name') });
      expect(await ydtb(['db', 'baseline', '@ydtb/crm', '--to', '0009_later'], dataDir)).toMatchObject({
        code: 2,
        err: expect.stringContaining('@ydtb/crm ships no migration "0009_later". Its migrations: 0001_init, 0002_note_link_index.'),
      });
      expect(await ydtb(['db', 'repair', '@acme/none', '0001_init', '--reason', 'x'], dataDir)).toMatchObject({ code: 2, err: expect.stringContaining('Package "@acme/none" is not registered') });
    });
  });

  describe('when the tables of a package exist without history', () => {
    it('should record nothing on a dry run, then baseline it and leave the status clean', async () => {
      await tamper(dataDir, FORGET_CRM);
      expect((await ydtb(['db', 'status'], dataDir)).code).toBe(4);

      const dry = await ydtb(['db', 'baseline', '@ydtb/crm', '--dry-run'], dataDir);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('Dry run: would record 0001_init, 0002_note_link_index as baselined (no SQL run); nothing was changed.');
      expect((await ydtb(['db', 'status'], dataDir)).code).toBe(4);

      const done = await ydtb(['db', 'baseline', '@ydtb/crm', '--json'], dataDir);
      expect(done.code).toBe(0);
      expect(JSON.parse(done.out)).toMatchObject({ packageName: '@ydtb/crm', target: '0002_note_link_index', baselined: ['0001_init', '0002_note_link_index'], dryRun: false, drift: [] });

      const status = await ydtb(['db', 'status', '--deep'], dataDir);
      expect(status.code).toBe(0);
      expect(status.out).toContain('@ydtb/crm 0.3.0: 2 applied (2 baselined: 0001_init, 0002_note_link_index), 0 pending');
    });
  });

  describe('when the tables differ from the package schema', () => {
    it('should exit 1 listing the difference and record nothing', async () => {
      await tamper(dataDir, `${FORGET_CRM} ALTER TABLE ydtb_crm_contacts DROP COLUMN email;`);

      const refused = await ydtb(['db', 'baseline', '@ydtb/crm'], dataDir);

      expect(refused.code).toBe(1);
      expect(refused.err).toContain('Cannot baseline @ydtb/crm up to 0002_note_link_index (nothing was recorded): the live tables do not match');
      expect(refused.err).toContain('  Column "ydtb_crm_contacts.email" does not exist (expected text).');
      const status = await ydtb(['db', 'status', '--json'], dataDir);
      expect(JSON.parse(status.out).packages.find((p: { packageName: string }) => p.packageName === '@ydtb/crm')).toMatchObject({ applied: [], baselined: [] });
      await tamper(dataDir, 'ALTER TABLE ydtb_crm_contacts ADD COLUMN email text;');
      expect((await ydtb(['db', 'baseline', '@ydtb/crm'], dataDir)).code).toBe(0);
    });
  });

  describe('when an applied migration no longer matches its recorded checksum', () => {
    it('should refuse a repair without a reason, then repair it, audit it and let migrate proceed', async () => {
      await tamper(dataDir, `UPDATE ydtb_migration_history SET checksum = repeat('0', 64) WHERE package_name = '@ydtb/crm' AND migration_id = '0001_init';`);
      expect((await ydtb(['db', 'migrate'], dataDir)).code).toBe(1);

      const noReason = await ydtb(['db', 'repair', '@ydtb/crm', '0001_init'], dataDir);
      expect(noReason.code).toBe(2);
      expect(noReason.err).toContain('db repair needs --reason');
      const dry = await ydtb(['db', 'repair', '@ydtb/crm', '0001_init', '--reason', 'checksum lost in a restore', '--dry-run'], dataDir);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(`@ydtb/crm 0001_init: recorded sha256 ${'0'.repeat(64)}, shipped sha256 `);
      expect((await ydtb(['db', 'migrate'], dataDir)).code).toBe(1);

      const repaired = await ydtb(['db', 'repair', '@ydtb/crm', '0001_init', '--reason', 'checksum lost in a restore'], dataDir);
      expect(repaired.code).toBe(0);
      expect(repaired.out).toContain('Repaired: the shipped checksum is recorded');

      const status = await ydtb(['db', 'status'], dataDir);
      expect(status.out).toMatch(/Repairs \(ydtb db repair\):\n {2}\S+ @ydtb\/crm 0001_init by \w+: checksum 000000000000… → [0-9a-f]{12}…, reason: checksum lost in a restore/);
      const json = JSON.parse((await ydtb(['db', 'status', '--json'], dataDir)).out);
      expect(json.packages.find((p: { packageName: string }) => p.packageName === '@ydtb/crm').repairs).toEqual([
        expect.objectContaining({ migrationId: '0001_init', action: 'checksum', oldChecksum: '0'.repeat(64), reason: 'checksum lost in a restore' }),
      ]);
      expect((await ydtb(['db', 'migrate'], dataDir)).code).toBe(0);
      expect((await ydtb(['db', 'repair', '@ydtb/crm', '0001_init', '--reason', 'again'], dataDir)).err).toContain('already matches');
    });
  });
});
