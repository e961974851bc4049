import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { ensureHistoryTable, HISTORY_TABLE, readHistory, readHistoryLog, recordApplied } from './history.ts';

afterAll(closeTemplatePglite);

const checksum = 'a'.repeat(64);
const OLD_SHAPE = `
CREATE TABLE ${HISTORY_TABLE} (
  package_name    text        NOT NULL,
  migration_id    text        NOT NULL,
  package_version text        NOT NULL,
  checksum        char(64)    NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now(),
  duration_ms     integer     NOT NULL CHECK (duration_ms >= 0),
  status          text        NOT NULL DEFAULT 'applied' CONSTRAINT ydtb_migration_history_status_check CHECK (status IN ('applied', 'baselined')),
  PRIMARY KEY (package_name, migration_id)
);
INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms)
VALUES ('@test/alpha', '0001_init', '1.0.0', '${checksum}', 3), ('@test/alpha', '0002_more', '1.0.0', '${checksum}', 4);`;

describe.each(databaseKinds)('the migration history on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  describe('when a table of the earlier shape (keyed by package and migration) is upgraded', () => {
    it('should keep its rows with an unknown applier, and allow a migration to be applied again after it was rolled back', async () => {
      await client.exec(OLD_SHAPE);

      await ensureHistoryTable(client);
      await ensureHistoryTable(client);

      expect((await readHistory(client)).map((row) => [row.migrationId, row.appliedBy])).toEqual([
        ['0001_init', null],
        ['0002_more', null],
      ]);
      await client.exec(`UPDATE ${HISTORY_TABLE} SET status = 'rolled_back', reverted_at = now(), reverted_by = current_user WHERE migration_id = '0002_more'`);
      await recordApplied(client, { packageName: '@test/alpha', migrationId: '0002_more', packageVersion: '1.0.1', checksum, durationMs: 5 });

      const current = await readHistory(client);
      expect(current.map((row) => [row.migrationId, row.packageVersion])).toEqual([
        ['0001_init', '1.0.0'],
        ['0002_more', '1.0.1'],
      ]);
      const [{ user }] = (await client.query<{ user: string }>(`SELECT current_user AS user`)) as [{ user: string }];
      expect(current[1]!.appliedBy).toBe(user);
      const log = await readHistoryLog(client);
      expect(log.map((row) => [row.migrationId, row.status, row.revertedBy])).toEqual([
        ['0001_init', 'applied', null],
        ['0002_more', 'rolled_back', user],
        ['0002_more', 'applied', null],
      ]);
    });
  });

  describe('when the same migration is recorded twice while in effect', () => {
    it('should refuse the second row', async () => {
      await ensureHistoryTable(client);
      const row = { packageName: '@test/alpha', migrationId: '0001_init', packageVersion: '1.0.0', checksum, durationMs: 1 };
      await recordApplied(client, row);

      await expect(recordApplied(client, row)).rejects.toThrow(/ydtb_migration_history_in_effect/);
    });
  });
});
