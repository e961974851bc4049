import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { integer, pgEnum, text } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { migrateDatabase } from '../../../../../../apps/core/src/lib/migrations/migrate-database.ts';
import { createContainer } from '../../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../../apps/core/src/lib/registry/database.ts';
import { defaultRegistryConfig } from '../../../../../../apps/core/src/lib/registry/registry-config.ts';
import { readCatalogDump } from '../../../../../../test/catalog-dump.ts';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../../test/test-databases.ts';
import { generatePackageMigration, type SchemaChoices } from '../generate-migration.ts';

// v1, then v2: the table renamed, a column renamed, one dropped beside a new one, an enum value gone beside a new one.
function itemsSchema(version: 1 | 2) {
  const status = pgEnum('ydtb_down_status', version === 1 ? ['open', 'closed'] : ['open', 'done']);
  const items = ydtbTable(version === 1 ? 'down_items' : 'down_entries', {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    status: status('status').notNull().default('open'),
    ...(version === 1 ? { label: text('label').notNull(), note: text('note') } : { title: text('title').notNull(), position: integer('position') }),
  });
  return { status, items };
}

const CHOICES: SchemaChoices = {
  renames: ['ydtb_down_items=ydtb_down_entries', 'ydtb_down_entries.label=title'],
  drops: ['ydtb_down_entries.note', 'ydtb_down_status.closed'],
};

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('down migrations written by db generate on $name', (kind) => {
  let folder: string;
  let opened: OpenedTestClient;
  const file = (name: string) => readFileSync(join(folder, name), 'utf8');
  const run = (name: string) => opened.client.transaction((tx) => tx.exec(file(name)));

  beforeEach(async () => {
    folder = join(mkdtempSync(join(tmpdir(), 'ydtb-down-')), 'migrations');
    opened = await kind.open();
    // Core's tables, which the package references.
    await migrateDatabase(opened.client, createContainer([]).get(DatabaseRegistry), defaultRegistryConfig);
  });

  afterEach(async () => {
    await opened.release();
    rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  describe('when a migration renames, drops and adds', () => {
    it('should undo it with the opposite renames and by creating what it dropped, and say that data is not restored', async () => {
      await generatePackageMigration({ packageName: '@test/down', schema: itemsSchema(1), folder });
      await generatePackageMigration({ packageName: '@test/down', schema: itemsSchema(2), folder, choices: CHOICES });

      const down = file('0002_migration.down.sql');
      expect(down).toMatch(/^-- Undoes 0002_migration\.sql[^\n]*\n-- Data is not restored/);
      expect(down).toContain('ALTER TABLE "ydtb_down_entries" RENAME TO "ydtb_down_items";');
      expect(down).toContain('ALTER TABLE "ydtb_down_items" RENAME COLUMN "title" TO "label";');
      expect(down).toContain('ALTER TABLE "ydtb_down_items" DROP COLUMN "position";');
      expect(down).toContain('ALTER TABLE "ydtb_down_items" ADD COLUMN "note" text;');
    });

    it('should leave the catalog as it was after up, down and up again', async () => {
      await generatePackageMigration({ packageName: '@test/down', schema: itemsSchema(1), folder });
      await generatePackageMigration({ packageName: '@test/down', schema: itemsSchema(2), folder, choices: CHOICES });
      const empty = await readCatalogDump(opened.client);

      await run('0001_init.sql');
      const first = await readCatalogDump(opened.client);
      await run('0002_migration.sql');
      const second = await readCatalogDump(opened.client);
      expect(second).not.toEqual(first);

      await run('0002_migration.down.sql');
      expect(await readCatalogDump(opened.client)).toEqual(first);
      await run('0002_migration.sql');
      expect(await readCatalogDump(opened.client)).toEqual(second);
      await run('0002_migration.down.sql');
      await run('0001_init.down.sql');
      expect(await readCatalogDump(opened.client)).toEqual(empty);
    });
  });
});
