import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { HISTORY_TABLE, historyTableExists, readHistory } from './history.ts';
import { migrateDatabase } from './migrate-database.ts';
import { MIGRATION_RULES } from './migration-lint.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { chainPackage, createItemsSql, registryWith, tableNames } from './test-packages.ts';
import { UnknownMigrationsError } from './unknown-migrations-error.ts';

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('migrateDatabase refusing unsafe input on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  describe('when the second migration of the second package commits the transaction', () => {
    const committingBeta = chainPackage('beta', [
      { id: '0001_init', sql: createItemsSql('beta') },
      { id: '0002_escape', sql: `ALTER TABLE ydtb_beta_items ADD COLUMN size integer;\nCOMMIT;\nDROP TABLE ydtb_alpha_items;` },
    ]);

    it('should refuse with package, migration and line before anything runs: no table, no history, not even core', async () => {
      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha'), committingBeta, chainPackage('gamma')), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationLintError);
      expect((error as MigrationLintError).findings).toEqual([
        expect.objectContaining({ rule: MIGRATION_RULES.transaction, packageName: '@test/beta', migration: '0002_escape', line: 2 }),
        expect.objectContaining({ rule: 'ydtb/lint-drop-table', packageName: '@test/beta', migration: '0002_escape', line: 3 }),
      ]);
      expect(await tableNames(client)).toEqual([]);
      expect(await historyTableExists(client)).toBe(false);
    });

    it('should refuse on a database already migrated up to it, leaving it exactly as it was', async () => {
      await migrateDatabase(client, registryWith(chainPackage('alpha')), defaultRegistryConfig);
      const before = await readHistory(client);

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha'), committingBeta), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationLintError);
      expect(await readHistory(client)).toEqual(before);
      expect(await tableNames(client)).toContain('ydtb_alpha_items');
      expect(await tableNames(client)).not.toContain('ydtb_beta_items');
    });

    it('should refuse a migration that switches role, on a dry run too', async () => {
      const sneaky = chainPackage('alpha', [{ id: '0001_init', sql: `SET ROLE postgres;\n${createItemsSql('alpha')}` }]);

      const error = await rejectionOf(migrateDatabase(client, registryWith(sneaky), defaultRegistryConfig, { dryRun: true }));

      expect((error as MigrationLintError).findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.role, line: 1 })]);
    });
  });

  describe('when transaction or role control hides in a DO block or a procedure', () => {
    it.each([
      ['a DO block that commits', `DO $$ BEGIN COMMIT; END $$;`, MIGRATION_RULES.transaction, 1],
      ['a procedure that commits, called', `CREATE PROCEDURE ydtb_alpha_p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;\nCALL ydtb_alpha_p();`, MIGRATION_RULES.transaction, 1],
      ['a DO block that takes the migrator role back', `DO $$ BEGIN EXECUTE 'RESET ROLE'; END $$;`, MIGRATION_RULES.role, 1],
      ['a function that sets the role, called', `CREATE FUNCTION ydtb_alpha_f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  SET ROLE postgres;\nEND $$;\nSELECT ydtb_alpha_f();`, MIGRATION_RULES.role, 3],
    ])('should refuse, before anything runs, %s', async (_, body, rule, lineInBody) => {
      const line = createItemsSql('alpha').split('\n').length + lineInBody;
      const hidden = chainPackage('alpha', [{ id: '0001_init', sql: `${createItemsSql('alpha')}\n${body}` }]);

      const error = await rejectionOf(migrateDatabase(client, registryWith(hidden), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationLintError);
      expect((error as MigrationLintError).findings).toEqual([expect.objectContaining({ rule, packageName: '@test/alpha', migration: '0001_init', line })]);
      expect(await tableNames(client)).toEqual([]);
      expect(await historyTableExists(client)).toBe(false);
    });
  });

  describe('when the history records a migration the package does not ship', () => {
    it('should refuse before applying anything, with the row to delete', async () => {
      await migrateDatabase(client, registryWith(chainPackage('alpha')), defaultRegistryConfig);
      await client.query(
        `INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms) VALUES ('@test/alpha', '0009_forged', '1.0.0', $1, 0)`,
        ['0'.repeat(64)],
      );

      const error = await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha'), chainPackage('beta')), defaultRegistryConfig));

      expect(error).toBeInstanceOf(UnknownMigrationsError);
      expect((error as UnknownMigrationsError).unknown).toEqual([{ packageName: '@test/alpha', migrationId: '0009_forged' }]);
      expect(error.message).toContain(`DELETE FROM ${HISTORY_TABLE} WHERE package_name = '@test/alpha' AND migration_id = '0009_forged';`);
      expect(await tableNames(client)).not.toContain('ydtb_beta_items');
    });
  });

  describe('when the history holds migrations of a package that is not installed', () => {
    it('should migrate the installed packages and list the other one', async () => {
      await migrateDatabase(client, registryWith(chainPackage('alpha')), defaultRegistryConfig);

      const result = await migrateDatabase(client, registryWithoutAlpha(), defaultRegistryConfig);

      expect(result.applied.map((p) => p.packageName)).toEqual(['@test/solo']);
      expect(result.plan.uninstalled).toEqual([{ packageName: '@test/alpha', migrationIds: ['0001_init'] }]);
    });
  });
});

/** A package with no dependencies that is not alpha. */
function registryWithoutAlpha(): DatabaseRegistry {
  const solo = { ...chainPackage('gamma'), packageName: '@test/solo', dependencies: [] };
  return registryWith(solo);
}
