import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { checksumOf } from './checksum.ts';
import { ChecksumMismatchError } from './checksum-mismatch-error.ts';
import { ensureHistoryTable, HISTORY_TABLE, readHistory } from './history.ts';
import { migrateDatabase } from './migrate-database.ts';
import { repairMigration } from './repair-migration.ts';
import { RepairRefusedError } from './repair-refused-error.ts';
import { readRepairs } from './repairs.ts';
import { chainPackage, createItemsSql, registryWith } from './test-packages.ts';

afterAll(closeTemplatePglite);

const original = createItemsSql('alpha');
const edited = `-- the items of alpha\n${original}`;
const alphaWith = (sql: string) => registryWith(chainPackage('alpha', [{ id: '0001_init', sql }]));

describe.each(databaseKinds)('repairMigration on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  describe('when an applied migration was edited and the operator confirms the database matches', () => {
    it('should record the shipped checksum, keep the repair in the audit table, and let migrate proceed', async () => {
      await migrateDatabase(client, alphaWith(original), defaultRegistryConfig);
      expect(await rejectionOf(migrateDatabase(client, alphaWith(edited), defaultRegistryConfig))).toBeInstanceOf(ChecksumMismatchError);

      const result = await repairMigration(client, alphaWith(edited), { packageName: '@test/alpha', migrationId: '0001_init', reason: 'comment added' });

      expect(result).toEqual({ packageName: '@test/alpha', migrationId: '0001_init', action: 'checksum', oldChecksum: checksumOf(original), newChecksum: checksumOf(edited), dryRun: false });
      const repairs = await readRepairs(client);
      expect(repairs).toEqual([
        expect.objectContaining({ packageName: '@test/alpha', migrationId: '0001_init', action: 'checksum', oldChecksum: checksumOf(original), newChecksum: checksumOf(edited), reason: 'comment added' }),
      ]);
      const [who] = await client.query<{ who: string }>('SELECT current_user::text AS who');
      expect(repairs[0]!.repairedBy).toBe(who!.who);
      const migrated = await migrateDatabase(client, alphaWith(edited), defaultRegistryConfig);
      expect(migrated.drift).toEqual([]);
    });

    it('should change nothing on a dry run', async () => {
      await migrateDatabase(client, alphaWith(original), defaultRegistryConfig);

      const result = await repairMigration(client, alphaWith(edited), { packageName: '@test/alpha', migrationId: '0001_init', reason: 'comment added', dryRun: true });

      expect(result.dryRun).toBe(true);
      expect((await readHistory(client)).find((row) => row.packageName === '@test/alpha')?.checksum).toBe(checksumOf(original));
      expect(await readRepairs(client)).toEqual([]);
    });
  });

  describe('when there is no reason or nothing to repair', () => {
    it('should refuse and change nothing', async () => {
      await migrateDatabase(client, alphaWith(original), defaultRegistryConfig);
      const repair = (sql: string, migrationId: string, reason: string) =>
        rejectionOf(repairMigration(client, alphaWith(sql), { packageName: '@test/alpha', migrationId, reason }));

      expect(await repair(edited, '0001_init', '  ')).toMatchObject({ problem: 'no-reason' });
      expect(await repair(original, '0001_init', 'why not')).toMatchObject({ problem: 'checksum-matches' });
      expect(await repair(edited, '0009_none', 'typo')).toMatchObject({ problem: 'not-shipped' });
      const error = await repair(edited, '0001_init', '');
      expect(error).toBeInstanceOf(RepairRefusedError);
      expect(error.message).toBe('Cannot repair @test/alpha 0001_init: a repair needs --reason "…", kept in the audit table with the old and new checksums. Nothing was changed.');
      expect(await readRepairs(client)).toEqual([]);
    });
  });

  describe('when the history table was made before baselines existed', () => {
    it('should widen its status check once, keeping the rows', async () => {
      await migrateDatabase(client, alphaWith(original), defaultRegistryConfig);
      await client.exec(`ALTER TABLE ${HISTORY_TABLE} DROP CONSTRAINT ydtb_migration_history_status_check;
        ALTER TABLE ${HISTORY_TABLE} ADD CONSTRAINT ydtb_migration_history_status_check CHECK (status IN ('applied'))`);

      await ensureHistoryTable(client);
      await ensureHistoryTable(client);

      const [check] = await client.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ydtb_migration_history_status_check'`,
      );
      expect(check!.def).toContain('baselined');
      expect((await readHistory(client)).some((row) => row.packageName === '@test/alpha')).toBe(true);
    });
  });
});
