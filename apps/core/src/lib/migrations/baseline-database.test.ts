import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { baselineDatabase } from './baseline-database.ts';
import { BaselineRefusedError } from './baseline-refused-error.ts';
import { readHistory } from './history.ts';
import { driftOf, migrateDatabase } from './migrate-database.ts';
import { ALPHA_AS_OF_INIT, ALPHA_IN_TWO_STEPS } from './baseline-fixtures.ts';
import type { SchemaSnapshot } from './schema-snapshot.ts';
import { chainPackage, registryWith } from './test-packages.ts';

afterAll(closeTemplatePglite);

const withBasic = () => createContainer([basicModule]).get(DatabaseRegistry);
const basic = () => withBasic().get('@ydtb/basic')!.registration;
/** @ydtb/basic's schema as its code declares it today (its last migration). */
const expected = (): SchemaSnapshot => generateDrizzleJson(basic().schema as Record<string, unknown>) as unknown as SchemaSnapshot;

/** Core migrated by the pipeline, then @ydtb/basic's tables made by running its SQL by hand, outside it. */
async function tablesMadeByHand(client: SqlClient, tamper = ''): Promise<void> {
  await migrateDatabase(client, createContainer().get(DatabaseRegistry), defaultRegistryConfig);
  for (const migration of basic().migrations ?? []) await client.exec('sql' in migration ? migration.sql : migration.up);
  if (tamper) await client.exec(tamper);
}

async function basicRows(client: SqlClient) {
  return (await readHistory(client)).filter((row) => row.packageName === '@ydtb/basic');
}

describe.each(databaseKinds)('baselineDatabase on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  describe('when the tables match the package schema', () => {
    it('should record the migrations as baselined, run none of their SQL, and secure the tables', async () => {
      await tablesMadeByHand(client);

      const result = await baselineDatabase(client, withBasic(), defaultRegistryConfig, { packageName: '@ydtb/basic', expected });

      expect(result.baselined).toEqual(['0001_init']);
      expect((await basicRows(client)).map((row) => [row.migrationId, row.status, row.durationMs])).toEqual([['0001_init', 'baselined', 0]]);
      expect(result.migrate?.drift).toEqual([]);
      // Clean status, with the isolation probe: forced row-level security and the app role's grants are in place.
      expect(await driftOf(client, withBasic(), defaultRegistryConfig, { probe: true })).toEqual([]);
      const rls = await client.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname LIKE 'ydtb_basic_%' AND relkind = 'r' ORDER BY relname`,
      );
      expect(rls).toEqual([
        { relname: 'ydtb_basic_note_tags', relrowsecurity: true, relforcerowsecurity: true },
        { relname: 'ydtb_basic_notes', relrowsecurity: true, relforcerowsecurity: true },
      ]);
      // A later migrate has nothing to run for it.
      const again = await migrateDatabase(client, withBasic(), defaultRegistryConfig);
      expect(again.applied).toEqual([]);
    });

    it('should record nothing on a dry run', async () => {
      await tablesMadeByHand(client);

      const result = await baselineDatabase(client, withBasic(), defaultRegistryConfig, { packageName: '@ydtb/basic', expected, dryRun: true });

      expect(result).toEqual({ packageName: '@ydtb/basic', target: '0001_init', baselined: ['0001_init'], dryRun: true });
      expect(await basicRows(client)).toEqual([]);
    });
  });

  describe('when a column is missing and another column changed type', () => {
    it('should refuse, listing each difference, and record nothing', async () => {
      await tablesMadeByHand(client, 'ALTER TABLE ydtb_basic_notes DROP COLUMN body; ALTER TABLE ydtb_basic_note_tags ALTER COLUMN tag TYPE varchar(20)');

      const error = await rejectionOf(baselineDatabase(client, withBasic(), defaultRegistryConfig, { packageName: '@ydtb/basic', expected }));

      expect(error).toBeInstanceOf(BaselineRefusedError);
      expect((error as BaselineRefusedError).differences).toEqual([
        'Column "ydtb_basic_note_tags.tag" is character varying(20), expected text.',
        'Column "ydtb_basic_notes.body" does not exist (expected text NOT NULL).',
      ]);
      expect((error as BaselineRefusedError).message).toContain('Cannot baseline @ydtb/basic up to 0001_init (nothing was recorded): the live tables do not match');
      expect(await basicRows(client)).toEqual([]);
    });
  });

  describe('when the tables reflect an earlier migration (--to)', () => {
    it('should compare with the schema as of that migration, baseline up to it, and run the later ones', async () => {
      const registry = registryWith(chainPackage('alpha', ALPHA_IN_TWO_STEPS));
      await migrateDatabase(client, createContainer().get(DatabaseRegistry), defaultRegistryConfig);
      await client.exec((ALPHA_IN_TWO_STEPS[0] as { sql: string }).sql);
      const asked: string[] = [];

      const result = await baselineDatabase(client, registry, defaultRegistryConfig, {
        packageName: '@test/alpha',
        to: '0001_init',
        expected: (id) => (asked.push(id), ALPHA_AS_OF_INIT),
      });

      expect(asked).toEqual(['0001_init']);
      expect(result.baselined).toEqual(['0001_init']);
      expect(result.migrate?.applied.map((p) => [p.packageName, p.migrationIds])).toEqual([['@test/alpha', ['0002_label']]]);
      expect(result.migrate?.drift).toEqual([]);
      const rows = (await readHistory(client)).filter((row) => row.packageName === '@test/alpha');
      expect(rows.map((row) => [row.migrationId, row.status]).sort()).toEqual([['0001_init', 'baselined'], ['0002_label', 'applied']]);
    });
  });

  describe('when the history already records the migrations', () => {
    it('should refuse: there is nothing to baseline', async () => {
      await migrateDatabase(client, withBasic(), defaultRegistryConfig);

      const error = await rejectionOf(baselineDatabase(client, withBasic(), defaultRegistryConfig, { packageName: '@ydtb/basic', expected }));

      expect(error).toMatchObject({ problem: 'already-applied' });
    });
  });
});
