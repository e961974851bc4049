import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MigrationDefinition } from '@ydtb/plugin-api';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { invoicingModule } from '@ydtb/fixture-invoicing';
import { teamsModule } from '@ydtb/fixture-teams';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { migrateDatabase, packagesInOrder } from '../apps/core/src/lib/migrations/migrate-database';
import { createContainer } from '../apps/core/src/lib/registry/container';
import { DatabaseRegistry } from '../apps/core/src/lib/registry/database';
import { defaultRegistryConfig } from '../apps/core/src/lib/registry/registry-config';
import { readCatalogDump } from './catalog-dump';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from './test-databases';

/*
 * Every shipped migration (core, @ydtb/basic, @ydtb/crm and the real-world fixtures) is taken
 * down and up again: from the fully migrated database, each package's migrations are undone by
 * their down files, newest first and dependents before their dependencies; then every migration
 * runs again in the pipeline's order. After each up, the catalog must be what it was before the
 * matching down. Policies, row-level security and grants are the pipeline's, not the migrations',
 * and are left out of the comparison.
 */

const registry = createContainer([basicModule, crmModule, invoicingModule, teamsModule]).get(DatabaseRegistry);

interface Step {
  readonly packageName: string;
  readonly id: string;
  readonly up: string;
  readonly down: string | undefined;
}

function steps(): Step[] {
  return packagesInOrder(registry).flatMap(({ registration }) =>
    (registration.migrations ?? []).map((migration: MigrationDefinition) => ({
      packageName: registration.packageName,
      id: migration.id,
      up: 'sql' in migration ? migration.sql : migration.up,
      down: migration.down,
    })),
  );
}

const runIn = (client: SqlClient, sql: string) => client.transaction((tx) => tx.exec(sql));

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('shipped down migrations on $name', (kind) => {
  let opened: OpenedTestClient;

  beforeAll(async () => {
    opened = await kind.open();
    await migrateDatabase(opened.client, registry, defaultRegistryConfig);
  }, 120_000);

  afterAll(() => opened?.release());

  it('should have a down file for every shipped migration', () => {
    const missing = steps().filter((step) => step.down === undefined).map((step) => `${step.packageName} ${step.id}`);
    expect(missing).toEqual([]);
    expect(steps().map((step) => step.packageName)).toEqual(
      expect.arrayContaining(['@ydtb/core', '@ydtb/basic', '@ydtb/crm', '@ydtb/fixture-invoicing', '@ydtb/fixture-teams']),
    );
  });

  it('should leave the catalog identical after up, down and up again, migration by migration', async () => {
    const { client } = opened;
    const forward = steps();
    const before: Awaited<ReturnType<typeof readCatalogDump>>[] = [];
    // Down, newest first: the dump before each down is the state its up must bring back.
    for (const step of [...forward].reverse()) {
      before.push(await readCatalogDump(client));
      await runIn(client, step.down!);
    }
    before.reverse();

    // The downs undo everything the migrations created: a package's first down drops it all.
    expect(await readCatalogDump(client)).toEqual({ relations: [], columns: [], constraints: [], indexes: [], types: [], sequences: [] });

    for (const [i, step] of forward.entries()) {
      await runIn(client, step.up);
      expect({ migration: `${step.packageName} ${step.id}`, catalog: await readCatalogDump(client) }).toEqual({
        migration: `${step.packageName} ${step.id}`,
        catalog: before[i],
      });
    }
  }, 120_000);
});
