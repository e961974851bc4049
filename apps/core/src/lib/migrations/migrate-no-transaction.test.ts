import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { readHistory } from './history.ts';
import { migrateDatabase, type MigrateReporter } from './migrate-database.ts';
import { MigrationFailedError } from './migration-failed-error.ts';
import { MIGRATION_RULES } from './migration-lint.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { NoTransactionFailedError } from './no-transaction-failed-error.ts';
import { chainPackage, createItemsSql, registryWith, tableNames } from './test-packages.ts';

afterAll(closeTemplatePglite);

const init = { id: '0001_init', sql: createItemsSql('alpha') };
const labelIndex = {
  id: '0002_label_index',
  sql: '-- ydtb:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ydtb_alpha_items_label_key ON ydtb_alpha_items (workspace_id, label);',
};

/** Every event of a run, in order, as text. */
function recorder(): { events: string[]; reporter: MigrateReporter } {
  const events: string[] = [];
  return {
    events,
    reporter: {
      migrationRan: (packageName, migrationId, _durationMs, how) => events.push(`${packageName} ${migrationId}${how?.outsideTransaction ? ' alone' : ''}`),
      invalidIndexDropped: (packageName, migrationId, index) => events.push(`${packageName} ${migrationId} dropped ${index}`),
    },
  };
}

async function indexState(client: SqlClient, index: string): Promise<boolean[]> {
  const rows = await client.query<{ valid: boolean }>(
    `SELECT x.indisvalid AS valid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = $1`,
    [index],
  );
  return rows.map((r) => r.valid);
}

const recordedIds = async (client: SqlClient) => (await readHistory(client)).filter((r) => r.packageName === '@test/alpha').map((r) => r.migrationId).sort();

describe.each(databaseKinds)('migrateDatabase with a -- ydtb:no-transaction migration on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    await migrateDatabase(client, registryWith(chainPackage('alpha', [init])), defaultRegistryConfig);
    await client.query(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one'), ('w2', 'Two', 'two')`);
    await client.query(`INSERT INTO ydtb_alpha_items (id, workspace_id, label) VALUES ('a1', 'w1', 'same'), ('a2', 'w2', 'same'), ('a3', 'w1', 'other')`);
  });

  afterEach(async () => {
    await release();
  });

  describe('when it builds an index concurrently on a table with rows', () => {
    it('should build it outside any transaction, record it afterwards and verify clean', async () => {
      const { events, reporter } = recorder();

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [init, labelIndex])), defaultRegistryConfig, { reporter });

      expect(events).toEqual(['@test/alpha 0002_label_index alone']);
      expect(result.applied).toEqual([expect.objectContaining({ packageName: '@test/alpha', migrationIds: ['0002_label_index'], securedTables: ['ydtb_alpha_items'] })]);
      expect(result.drift).toEqual([]);
      expect(await indexState(client, 'ydtb_alpha_items_label_key')).toEqual([true]);
      expect(await recordedIds(client)).toEqual(['0001_init', '0002_label_index']);
    });
  });

  describe('when the concurrent build fails (a unique index over duplicate rows)', () => {
    beforeEach(async () => {
      await client.query(`INSERT INTO ydtb_alpha_items (id, workspace_id, label) VALUES ('a4', 'w1', 'same')`);
    });

    it('should stop with a clear error, record nothing for it, and leave the invalid index PostgreSQL made', async () => {
      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha', [init, labelIndex])), defaultRegistryConfig));

      expect(error).toBeInstanceOf(NoTransactionFailedError);
      expect(error).toMatchObject({ packageName: '@test/alpha', migrationId: '0002_label_index', index: 'ydtb_alpha_items_label_key', invalidIndexLeft: true });
      expect(error.message).toContain('0002_label_index of @test/alpha failed outside a transaction and was not recorded: could not create unique index "ydtb_alpha_items_label_key"');
      expect(error.message).toContain('A rerun retries it; it left the invalid index "ydtb_alpha_items_label_key", which the rerun drops first');
      expect(await recordedIds(client)).toEqual(['0001_init']);
      expect(await indexState(client, 'ydtb_alpha_items_label_key')).toEqual([false]);
    });

    it('should, once the data is fixed, drop the invalid index, build it again and record it', async () => {
      const registry = registryWith(chainPackage('alpha', [init, labelIndex]));
      await rejectionOf(migrateDatabase(client, registry, defaultRegistryConfig));
      await client.query(`DELETE FROM ydtb_alpha_items WHERE id = 'a4'`);
      const { events, reporter } = recorder();

      const result = await migrateDatabase(client, registry, defaultRegistryConfig, { reporter });

      expect(events).toEqual(['@test/alpha 0002_label_index dropped ydtb_alpha_items_label_key', '@test/alpha 0002_label_index alone']);
      expect(result.drift).toEqual([]);
      expect(await indexState(client, 'ydtb_alpha_items_label_key')).toEqual([true]);
      expect(await recordedIds(client)).toEqual(['0001_init', '0002_label_index']);
    });
  });

  describe('when the index it builds is a key that leaves the workspace', () => {
    it('should drop the index again and record nothing', async () => {
      const acrossWorkspaces = { id: '0002_label_key', sql: '-- ydtb:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY ydtb_alpha_items_id_key ON ydtb_alpha_items (id);' };

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha', [init, acrossWorkspaces])), defaultRegistryConfig));

      expect(error).toBeInstanceOf(NoTransactionFailedError);
      expect(error.message).toContain('The unique index "ydtb_alpha_items_id_key" (id) of "ydtb_alpha_items" does not include the workspace column');
      expect(error.message).toContain('The index "ydtb_alpha_items_id_key" was dropped again.');
      expect(await indexState(client, 'ydtb_alpha_items_id_key')).toEqual([]);
      expect(await recordedIds(client)).toEqual(['0001_init']);
    });
  });

  describe('when it sits between transactional migrations', () => {
    const sizeColumn = { id: '0002_size', sql: 'ALTER TABLE ydtb_alpha_items ADD COLUMN size integer;' };
    const sizeIndex = { id: '0003_size_index', sql: '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ydtb_alpha_items_size_idx ON ydtb_alpha_items (workspace_id, size);' };

    it('should commit the ones before it, run it alone, then the ones after, in id order', async () => {
      const { events, reporter } = recorder();
      const later = { id: '0004_comment', sql: "COMMENT ON INDEX ydtb_alpha_items_size_idx IS 'needs 0003 to have run';" };

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [init, sizeColumn, sizeIndex, later])), defaultRegistryConfig, { reporter });

      expect(events).toEqual(['@test/alpha 0002_size', '@test/alpha 0003_size_index alone', '@test/alpha 0004_comment']);
      expect(result.drift).toEqual([]);
      expect(await recordedIds(client)).toEqual(['0001_init', '0002_size', '0003_size_index', '0004_comment']);
    });

    it('should keep what committed before a later failure, with row-level security applied to it', async () => {
      const betaIndex = { id: '0002_label_index', sql: '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY ydtb_beta_items_label_idx ON ydtb_beta_items (workspace_id, label);' };
      const broken = { id: '0003_broken', sql: 'SELECT no_such_function();' };
      const beta = chainPackage('beta', [{ id: '0001_init', sql: createItemsSql('beta') }, betaIndex, broken]);

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha', [init]), beta), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationFailedError);
      expect(error).toMatchObject({ packageName: '@test/beta', migrationId: '0003_broken', committed: ['0001_init', '0002_label_index'] });
      expect(error.message).toContain('0001_init, 0002_label_index (committed on their own, around a migration that runs outside a transaction)');
      const recorded = (await readHistory(client)).filter((r) => r.packageName === '@test/beta').map((r) => r.migrationId).sort();
      expect(recorded).toEqual(['0001_init', '0002_label_index']);
      // The table committed in the first step was secured in that same step, before the failure.
      const [items] = await client.query<{ forced: boolean }>(`SELECT relrowsecurity AND relforcerowsecurity AS forced FROM pg_class WHERE relname = 'ydtb_beta_items'`);
      expect(items).toEqual({ forced: true });
    });
  });

  describe('when a no-transaction migration holds two statements', () => {
    it('should refuse it with file and line before anything runs', async () => {
      const twoStatements = {
        id: '0003_indexes',
        sql: '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY a_idx ON ydtb_alpha_items (label);\nCREATE INDEX CONCURRENTLY b_idx ON ydtb_alpha_items (id);',
      };
      const sizeColumn = { id: '0002_size', sql: 'ALTER TABLE ydtb_alpha_items ADD COLUMN size integer;' };

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha', [init, sizeColumn, twoStatements]), chainPackage('beta')), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationLintError);
      expect((error as MigrationLintError).findings).toEqual([
        expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, packageName: '@test/alpha', migration: '0003_indexes', line: 3 }),
      ]);
      expect(await recordedIds(client)).toEqual(['0001_init']);
      expect(await tableNames(client)).not.toContain('ydtb_beta_items');
      expect(await indexState(client, 'a_idx')).toEqual([]);
    });
  });
});
