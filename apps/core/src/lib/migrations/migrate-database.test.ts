import { afterAll, beforeEach, afterEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { ChecksumMismatchError } from './checksum-mismatch-error.ts';
import { HISTORY_TABLE, readHistory } from './history.ts';
import { migrateDatabase } from './migrate-database.ts';
import { MigrationFailedError } from './migration-failed-error.ts';
import { chainPackage, createItemsSql, registryWith, tableNames } from './test-packages.ts';

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('migrateDatabase on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  describe('when the database is empty', () => {
    it('should apply core first, then packages in dependency order, and record each migration', async () => {
      // Registered in reverse: the order must come from the dependencies, not from registration.
      const registry = registryWith(chainPackage('gamma'), chainPackage('beta'), chainPackage('alpha'));
      const started: string[] = [];
      const ran: string[] = [];

      const result = await migrateDatabase(client, registry, defaultRegistryConfig, {
        reporter: {
          packageStarted: (pkg) => started.push(pkg.packageName),
          migrationRan: (packageName, migrationId, durationMs) => ran.push(`${started.at(-1)} ${packageName} ${migrationId} ${durationMs >= 0}`),
        },
      });

      expect(started).toEqual(['@ydtb/core', '@test/alpha', '@test/beta', '@test/gamma']);
      // One event a migration, inside its package (after that package started), in order.
      expect(ran).toEqual([
        '@ydtb/core @ydtb/core 0001_init true',
        '@test/alpha @test/alpha 0001_init true',
        '@test/beta @test/beta 0001_init true',
        '@test/gamma @test/gamma 0001_init true',
      ]);
      expect(result.drift).toEqual([]);
      const history = await readHistory(client);
      expect(history.map((row) => [row.packageName, row.migrationId])).toEqual(
        expect.arrayContaining([['@test/alpha', '0001_init'], ['@test/beta', '0001_init'], ['@test/gamma', '0001_init']]),
      );
      expect(history.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.status === 'applied')).toBe(true);
      expect(await tableNames(client)).toEqual(expect.arrayContaining(['ydtb_alpha_items', 'ydtb_gamma_items', 'ydtb_workspaces']));
    });

    it('should change nothing on a dry run', async () => {
      const result = await migrateDatabase(client, registryWith(chainPackage('alpha')), defaultRegistryConfig, { dryRun: true });

      expect(result.plan.packages.map((p) => p.pending.length)).toEqual([expect.any(Number), 1]);
      expect(await tableNames(client)).toEqual([]);
    });
  });

  describe('when everything is applied', () => {
    it('should apply nothing the second time', async () => {
      const registry = registryWith(chainPackage('alpha'));
      await migrateDatabase(client, registry, defaultRegistryConfig);

      const again = await migrateDatabase(client, registry, defaultRegistryConfig);

      expect(again.applied).toEqual([]);
      expect(again.drift).toEqual([]);
    });

    it('should run a migration added "in the past" and nothing else', async () => {
      await migrateDatabase(client, registryWith(chainPackage('alpha', [
        { id: '0001_init', sql: createItemsSql('alpha') },
        { id: '0003_index', sql: 'CREATE INDEX ydtb_alpha_items_label_idx ON ydtb_alpha_items (label);' },
      ])), defaultRegistryConfig);

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha', [
        { id: '0001_init', sql: createItemsSql('alpha') },
        { id: '0002_comment', sql: "COMMENT ON TABLE ydtb_alpha_items IS 'added later, numbered earlier';" },
        { id: '0003_index', sql: 'CREATE INDEX ydtb_alpha_items_label_idx ON ydtb_alpha_items (label);' },
      ])), defaultRegistryConfig);

      expect(result.applied).toEqual([expect.objectContaining({ packageName: '@test/alpha', migrationIds: ['0002_comment'] })]);
    });
  });

  describe('when an applied migration was edited', () => {
    it('should refuse with package, id and both checksums, and apply nothing', async () => {
      await migrateDatabase(client, registryWith(chainPackage('alpha')), defaultRegistryConfig);
      const edited = registryWith(
        chainPackage('alpha', [{ id: '0001_init', sql: `${createItemsSql('alpha')}\n-- edited` }]),
        chainPackage('beta'),
      );

      const error = await rejectionOf(migrateDatabase(client, edited, defaultRegistryConfig));

      expect(error).toBeInstanceOf(ChecksumMismatchError);
      expect((error as ChecksumMismatchError).mismatches).toEqual([
        expect.objectContaining({ packageName: '@test/alpha', migrationId: '0001_init', recorded: expect.any(String), shipped: expect.any(String) }),
      ]);
      expect(await tableNames(client)).not.toContain('ydtb_beta_items');
    });
  });

  describe('when a migration of the second of three packages fails', () => {
    const brokenBeta = chainPackage('beta', [
      { id: '0001_init', sql: createItemsSql('beta') },
      { id: '0002_broken', sql: 'ALTER TABLE ydtb_beta_items ADD COLUMN size integer;\nSELECT no_such_function();' },
    ]);

    it('should keep the first package, roll the second back, stop, and keep the history consistent', async () => {
      const registry = registryWith(chainPackage('alpha'), brokenBeta, chainPackage('gamma'));
      await migrateDatabase(client, registryWith(), defaultRegistryConfig);
      await client.query(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one')`);

      const error = await rejectionOf(migrateDatabase(client, registry, defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationFailedError);
      expect(error).toMatchObject({ packageName: '@test/beta', migrationId: '0002_broken' });
      expect(error.message).toContain('no_such_function');
      const tables = await tableNames(client);
      expect(tables).toContain('ydtb_alpha_items');
      expect(tables).not.toContain('ydtb_beta_items');
      expect(tables).not.toContain('ydtb_gamma_items');
      const history = (await readHistory(client)).map((row) => row.packageName);
      expect(history).toContain('@test/alpha');
      expect(history).not.toContain('@test/beta');
      expect(history).not.toContain('@test/gamma');
      await client.query(`INSERT INTO ydtb_alpha_items (id, workspace_id, label) VALUES ('a1', 'w1', 'kept')`);
      expect(await client.query(`SELECT label FROM ydtb_alpha_items`)).toEqual([{ label: 'kept' }]);
    });

    it('should continue where it stopped once the migration is fixed', async () => {
      await rejectionOf(migrateDatabase(client, registryWith(chainPackage('alpha'), brokenBeta, chainPackage('gamma')), defaultRegistryConfig));
      await client.query(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one')`);
      await client.query(`INSERT INTO ydtb_alpha_items (id, workspace_id, label) VALUES ('a1', 'w1', 'kept')`);
      const fixedBeta = chainPackage('beta', [
        { id: '0001_init', sql: createItemsSql('beta') },
        { id: '0002_broken', sql: 'ALTER TABLE ydtb_beta_items ADD COLUMN size integer;' },
      ]);

      const result = await migrateDatabase(client, registryWith(chainPackage('alpha'), fixedBeta, chainPackage('gamma')), defaultRegistryConfig);

      expect(result.applied.map((p) => p.packageName)).toEqual(['@test/beta', '@test/gamma']);
      expect(await client.query(`SELECT label FROM ydtb_alpha_items`)).toEqual([{ label: 'kept' }]);
      const counts = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${HISTORY_TABLE} GROUP BY package_name, migration_id HAVING count(*) > 1`);
      expect(counts).toEqual([]);
    });
  });

  describe('when the live database drifts from the registry', () => {
    it('should report a dropped table and a dropped workspace foreign key', async () => {
      const registry = registryWith(chainPackage('alpha'), chainPackage('beta'));
      await migrateDatabase(client, registry, defaultRegistryConfig);
      await client.exec('DROP TABLE ydtb_alpha_items');
      await client.exec('ALTER TABLE ydtb_beta_items DROP CONSTRAINT ydtb_beta_items_workspace_id_fkey');
      await client.exec('CREATE TABLE ydtb_stray (id text)');

      const result = await migrateDatabase(client, registry, defaultRegistryConfig);

      expect(result.drift.map((d) => [d.kind, d.table])).toEqual([
        ['missing-table', 'ydtb_alpha_items'],
        ['missing-workspace-fk', 'ydtb_beta_items'],
        ['unregistered-table', 'ydtb_stray'],
      ]);
    });
  });
});
