import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { integer, text } from 'drizzle-orm/pg-core';
import { basicSchema } from '@ydtb/basic';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import installedPackages from '../../../../../ydtb.config.ts';
import { createContainer } from '../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../apps/core/src/lib/registry/database.ts';
import { AmbiguousChangeError, generatePackageMigration, ungeneratedChanges } from './generate-migration.ts';
import { resolvePackageRoot } from '../../../../../apps/core/src/lib/migrations/package-root.ts';

// Two versions of one small package schema: v2 adds a column; the label column may be renamed.
function itemsSchema(version: 1 | 2, labelColumn = 'label') {
  const items = ydtbTable('gen_items', {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    label: text(labelColumn).notNull(),
    ...(version === 2 ? { position: integer('position').notNull().default(0) } : {}),
  });
  return { items };
}

describe('generatePackageMigration', () => {
  let folder: string;
  const snapshot = (sequence = '0001') => JSON.parse(readFileSync(join(folder, 'meta', `${sequence}_snapshot.json`), 'utf8'));
  const journal = () => JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8'));
  const meta = () => readdirSync(join(folder, 'meta')).sort();

  beforeEach(() => {
    folder = join(mkdtempSync(join(tmpdir(), 'ydtb-generate-')), 'migrations');
  });
  afterEach(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

  describe("when generating @ydtb/basic's first migration", () => {
    it('should write 0001_init.sql creating its enum, tables and foreign keys, its snapshot and the journal', async () => {
      const result = await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder, now: 1_700_000_000_000 });

      expect(result).toMatchObject({ kind: 'written', id: '0001_init', file: join(folder, '0001_init.sql') });
      const sql = readFileSync(join(folder, '0001_init.sql'), 'utf8');
      expect(sql).toContain(`CREATE TYPE "public"."ydtb_basic_note_status" AS ENUM('draft', 'published', 'archived');`);
      expect(sql).toContain('CREATE TABLE "ydtb_basic_notes"');
      expect(sql).toContain('CREATE TABLE "ydtb_basic_note_tags"');
      expect(sql).toContain('REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade');
      expect(sql).toContain('--> statement-breakpoint');
      // The workspace table is core's: referenced here, never created.
      expect(sql).not.toContain('CREATE TABLE "ydtb_workspaces"');
      expect(Object.keys(snapshot().tables).sort()).toEqual(['public.ydtb_basic_note_tags', 'public.ydtb_basic_notes']);
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', 'meta']);
      expect(meta()).toEqual(['0001_snapshot.json', '_journal.json', '_schema_fingerprint.json']);
      expect(journal()).toEqual({
        version: '7',
        dialect: 'postgresql',
        entries: [{ idx: 0, version: '7', when: 1_700_000_000_000, tag: '0001_init', breakpoints: true }],
      });
    });
  });

  describe('when the latest migration is hand-written SQL that changes no table (a function, a trigger)', () => {
    const handWritten = [
      '-- Counts a workspace\'s items: hand-written, no drizzle snapshot.',
      'CREATE FUNCTION ydtb_gen_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
      'CREATE TRIGGER ydtb_gen_items_touch BEFORE UPDATE ON ydtb_gen_items FOR EACH ROW EXECUTE FUNCTION ydtb_gen_touch();',
      "COMMENT ON FUNCTION ydtb_gen_touch() IS 'keeps rows fresh';",
    ].join('\n');

    it('should diff against the snapshot before it: nothing new for the same schema, only the change after', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      writeFileSync(join(folder, '0002_touch_trigger.sql'), handWritten);

      expect(await ungeneratedChanges('@test/gen', itemsSchema(1), folder)).toEqual([]);
      const result = await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });

      expect(result).toMatchObject({ kind: 'written', id: '0003_migration' });
      expect(readFileSync(join(folder, '0003_migration.sql'), 'utf8')).toBe('ALTER TABLE "ydtb_gen_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;\n');
    });

    it('should refuse one that changes a table without its snapshot, naming the line and the statement', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      writeFileSync(join(folder, '0002_by_hand.sql'), `${handWritten}\n\nALTER TABLE ydtb_gen_items ADD COLUMN note text;`);

      await expect(ungeneratedChanges('@test/gen', itemsSchema(1), folder)).rejects.toThrow(
        `@test/gen: 0002_by_hand.sql changes tables (line 6: ALTER TABLE ydtb_gen_items ADD COLUMN note text) but has no ${join(folder, 'meta', '0002_snapshot.json')}`,
      );
    });
  });

  describe('when drizzle-orm reads the folder', () => {
    it("should find every migration through drizzle-kit's journal", async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });

      const migrations = readMigrationFiles({ migrationsFolder: folder });

      const files = ['0001_init.sql', '0002_migration.sql'].map((file) => readFileSync(join(folder, file), 'utf8'));
      expect(migrations.map((m) => m.sql)).toEqual(files.map((sql) => sql.split('--> statement-breakpoint')));
      expect(migrations.map((m) => m.hash)).toEqual(files.map((sql) => createHash('sha256').update(sql).digest('hex')));
    });
  });

  describe('when the schema has not changed since the last migration', () => {
    it('should write nothing and report unchanged', async () => {
      await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder });
      const before = snapshot();

      const result = await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder });

      expect(result).toEqual({ kind: 'unchanged' });
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', 'meta']);
      expect(snapshot()).toEqual(before);
    });
  });

  describe('when a column is added', () => {
    it('should write 0002 with only the ALTER and its own snapshot, chaining the snapshot ids', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      const first = snapshot();

      const result = await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });

      expect(result).toEqual({
        kind: 'written',
        id: '0002_migration',
        file: join(folder, '0002_migration.sql'),
        statements: ['ALTER TABLE "ydtb_gen_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;'],
        downFile: join(folder, '0002_migration.down.sql'),
      });
      expect(readFileSync(join(folder, '0002_migration.down.sql'), 'utf8')).toMatch(
        /^-- Undoes 0002_migration\.sql[^]*Data is not restored[^]*\nALTER TABLE "ydtb_gen_items" DROP COLUMN "position";\n$/,
      );
      expect(readFileSync(join(folder, '0002_migration.sql'), 'utf8')).toBe(
        'ALTER TABLE "ydtb_gen_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;\n',
      );
      expect(snapshot('0002').prevId).toBe(first.id);
      expect(snapshot()).toEqual(first);
      expect(journal().entries.map((e: { idx: number; tag: string }) => [e.idx, e.tag])).toEqual([
        [0, '0001_init'],
        [1, '0002_migration'],
      ]);
    });
  });

  describe('when a generated migration that was never applied is deleted', () => {
    it('should ignore its snapshot and journal entry, and generate the same file again', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder, name: 'add_position' });
      const sql = readFileSync(join(folder, '0002_add_position.sql'), 'utf8');
      rmSync(join(folder, '0002_add_position.sql'));

      expect(await ungeneratedChanges('@test/gen', itemsSchema(2), folder)).toEqual([expect.stringContaining('ADD COLUMN "position"')]);
      const result = await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder, name: 'add_position' });

      expect(result).toMatchObject({ kind: 'written', id: '0002_add_position', downFile: join(folder, '0002_add_position.down.sql') });
      expect(readFileSync(join(folder, '0002_add_position.sql'), 'utf8')).toBe(sql);
      expect(journal().entries.map((e: { tag: string }) => e.tag)).toEqual(['0001_init', '0002_add_position']);
    });

    it('should remove the snapshots of every deleted migration above the new one', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder, name: 'back' });
      rmSync(join(folder, '0002_migration.sql'));
      rmSync(join(folder, '0003_back.sql'));

      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });

      expect(meta()).toEqual(['0001_snapshot.json', '0002_snapshot.json', '_journal.json', '_schema_fingerprint.json']);
      // 0003_back.down.sql without its up file would make the folder unreadable.
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', '0002_migration.down.sql', '0002_migration.sql', 'meta']);
      expect(journal().entries.map((e: { tag: string }) => e.tag)).toEqual(['0001_init', '0002_migration']);
    });
  });

  describe('when the schema changes ambiguously', () => {
    it('should write nothing without a choice, and the rename with one', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      const renamed = itemsSchema(1, 'title');

      await expect(generatePackageMigration({ packageName: '@test/gen', schema: renamed, folder })).rejects.toThrow(AmbiguousChangeError);
      await expect(ungeneratedChanges('@test/gen', renamed, folder)).rejects.toThrow(AmbiguousChangeError);
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', 'meta']);

      const choices = { renames: ['ydtb_gen_items.label=title'] };
      expect(await generatePackageMigration({ packageName: '@test/gen', schema: renamed, folder, choices })).toMatchObject({
        statements: ['ALTER TABLE "ydtb_gen_items" RENAME COLUMN "label" TO "title";'],
      });
      expect(await ungeneratedChanges('@test/gen', renamed, folder)).toEqual([]);
      expect(readFileSync(join(folder, '0002_migration.down.sql'), 'utf8')).toContain('ALTER TABLE "ydtb_gen_items" RENAME COLUMN "title" TO "label";');
    });
  });

  describe('when asked only for the changes no migration covers yet', () => {
    it('should list the statements without writing anything', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      const before = snapshot();

      expect(await ungeneratedChanges('@test/gen', itemsSchema(1), folder)).toEqual([]);
      expect(await ungeneratedChanges('@test/gen', itemsSchema(2), folder)).toEqual([expect.stringContaining('ADD COLUMN')]);
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', 'meta']);
      expect(snapshot()).toEqual(before);
    });
  });

  describe('when the name is not lower-case [a-z0-9_]', () => {
    it('should refuse it and write nothing', async () => {
      const generate = generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder, name: 'Add-Items' });

      await expect(generate).rejects.toThrow('Invalid migration name "Add-Items"');
      expect(existsSync(folder)).toBe(false);
    });
  });

  describe('when the folder has migrations but no snapshot', () => {
    it('should refuse to diff against an empty schema', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      rmSync(join(folder, 'meta', '0001_snapshot.json'));

      await expect(generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder })).rejects.toThrow(
        /0001_init\.sql changes tables \(line 1: CREATE TABLE "ydtb_gen_items".*\) but has no .*0001_snapshot\.json, so what it created cannot be told\. Restore that snapshot/,
      );
      expect(readdirSync(folder).sort()).toEqual(['0001_init.down.sql', '0001_init.sql', 'meta']);
      expect(meta()).toEqual(['_journal.json', '_schema_fingerprint.json']);
    });
  });

  describe('checked-in migrations', () => {
    const registry = createContainer(installedPackages).get(DatabaseRegistry);
    const registrations = [registry.core, ...registry.list()].map((p) => p.registration);

    // Fails when a schema changes without `ydtb db generate <package>` being run and committed.
    it.each(registrations)('should be up to date with the schema of $packageName', async (registration) => {
      cpSync(join(resolvePackageRoot(registration.packageName), 'migrations'), folder, { recursive: true });

      const result = await generatePackageMigration({ packageName: registration.packageName, schema: registration.schema, folder });

      expect(registration.migrations?.length).toBeGreaterThan(0);
      expect(result).toEqual({ kind: 'unchanged' });
    });
  });
});
