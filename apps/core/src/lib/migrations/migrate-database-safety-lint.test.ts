import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { readHistory } from './history.ts';
import { migrateDatabase } from './migrate-database.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { chainPackage, createItemsSql, registryWith } from './test-packages.ts';

afterAll(closeTemplatePglite);

const init = { id: '0001_init', sql: `${createItemsSql('alpha')}\nALTER TABLE ydtb_alpha_items ADD COLUMN legacy text;` };
const dropLegacy = (header: string) => ({ id: '0002_drop_legacy', sql: `${header}ALTER TABLE ydtb_alpha_items DROP COLUMN legacy;` });

async function columnsOf(client: SqlClient): Promise<string[]> {
  const rows = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'ydtb_alpha_items' ORDER BY column_name`,
  );
  return rows.map((r) => r.column_name);
}

describe.each(databaseKinds)('migrateDatabase and the safety lint on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    await migrateDatabase(client, registryWith(chainPackage('alpha', [init])), defaultRegistryConfig);
  });

  afterEach(async () => {
    await release();
  });

  describe('when a pending migration drops a column without allowing it', () => {
    it('should refuse before anything runs, naming the rule, the migration and the line', async () => {
      const before = await readHistory(client);

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha', [init, dropLegacy('-- drop it\n')])), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationLintError);
      expect((error as MigrationLintError).findings).toEqual([
        expect.objectContaining({ rule: 'ydtb/lint-drop-column', severity: 'error', packageName: '@test/alpha', migration: '0002_drop_legacy', line: 2 }),
      ]);
      expect(await readHistory(client)).toEqual(before);
      expect(await columnsOf(client)).toContain('legacy');
    });
  });

  describe('when a pending migration widens a varchar the applied migrations declared', () => {
    it('should apply it: the lint knows from the applied migration that no rewrite happens', async () => {
      const withCaption = { id: '0002_caption', sql: 'ALTER TABLE ydtb_alpha_items ADD COLUMN caption varchar(40);' };
      await migrateDatabase(client, registryWith(chainPackage('alpha', [init, withCaption])), defaultRegistryConfig);
      const widen = { id: '0003_widen_caption', sql: 'ALTER TABLE ydtb_alpha_items ALTER COLUMN caption SET DATA TYPE text;' };

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [init, withCaption, widen])), defaultRegistryConfig);

      expect(result.applied.flatMap((p) => p.migrationIds)).toEqual(['0003_widen_caption']);
      const [caption] = await client.query<{ data_type: string }>(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ydtb_alpha_items' AND column_name = 'caption'`);
      expect(caption).toEqual({ data_type: 'text' });
    });
  });

  describe('when the migration allows the drop with a reason', () => {
    it('should apply it', async () => {
      const allowed = dropLegacy('-- ydtb:allow ydtb/lint-drop-column legacy was never read by any release\n');

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [init, allowed])), defaultRegistryConfig);

      expect(result.applied.flatMap((p) => p.migrationIds)).toEqual(['0002_drop_legacy']);
      expect(await columnsOf(client)).not.toContain('legacy');
    });
  });

  describe('when a pending migration has only warnings', () => {
    it('should apply it: warnings never block', async () => {
      const index = { id: '0002_index', sql: 'CREATE INDEX ydtb_alpha_items_label_idx ON ydtb_alpha_items (label);' };

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [init, index])), defaultRegistryConfig);

      expect(result.applied.flatMap((p) => p.migrationIds)).toEqual(['0002_index']);
    });
  });

});
