import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integer, text } from 'drizzle-orm/pg-core';
import { basicSchema } from '@ydtb/basic';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import installedPackages from '../../../../../ydtb.config';
import { createContainer } from '../registry/container';
import { DatabaseRegistry } from '../registry/database';
import { generatePackageMigration, ungeneratedChanges } from './generate-migration';
import { resolvePackageRoot } from './package-root';

// Two versions of one small package schema: v2 adds a column.
function itemsSchema(version: 1 | 2) {
  const items = ydtbTable('gen_items', {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    ...(version === 2 ? { position: integer('position').notNull().default(0) } : {}),
  });
  return { items };
}

describe('generatePackageMigration', () => {
  let folder: string;
  const snapshot = () => JSON.parse(readFileSync(join(folder, 'meta', 'snapshot.json'), 'utf8'));

  beforeEach(() => {
    folder = join(mkdtempSync(join(tmpdir(), 'ydtb-generate-')), 'migrations');
  });
  afterEach(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

  describe("when generating @ydtb/basic's first migration", () => {
    it('should write 0001_init.sql creating its enum, tables and foreign keys, and a snapshot', async () => {
      const result = await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder });

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
      expect(readdirSync(folder).sort()).toEqual(['0001_init.sql', 'meta']);
    });
  });

  describe('when the schema has not changed since the last migration', () => {
    it('should write nothing and report unchanged', async () => {
      await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder });
      const before = snapshot();

      const result = await generatePackageMigration({ packageName: '@ydtb/basic', schema: basicSchema, folder });

      expect(result).toEqual({ kind: 'unchanged' });
      expect(readdirSync(folder).sort()).toEqual(['0001_init.sql', 'meta']);
      expect(snapshot()).toEqual(before);
    });
  });

  describe('when a column is added', () => {
    it('should write 0002 with only the ALTER, chaining the snapshot ids', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      const first = snapshot();

      const result = await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder });

      expect(result).toEqual({
        kind: 'written',
        id: '0002_migration',
        file: join(folder, '0002_migration.sql'),
        statements: ['ALTER TABLE "ydtb_gen_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;'],
      });
      expect(readFileSync(join(folder, '0002_migration.sql'), 'utf8')).toBe(
        'ALTER TABLE "ydtb_gen_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;\n',
      );
      expect(snapshot().prevId).toBe(first.id);
    });
  });

  describe('when asked only for the changes no migration covers yet', () => {
    it('should list the statements without writing anything', async () => {
      await generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(1), folder });
      const before = snapshot();

      expect(await ungeneratedChanges('@test/gen', itemsSchema(1), folder)).toEqual([]);
      expect(await ungeneratedChanges('@test/gen', itemsSchema(2), folder)).toEqual([expect.stringContaining('ADD COLUMN')]);
      expect(readdirSync(folder).sort()).toEqual(['0001_init.sql', 'meta']);
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
      rmSync(join(folder, 'meta'), { recursive: true });

      await expect(generatePackageMigration({ packageName: '@test/gen', schema: itemsSchema(2), folder })).rejects.toThrow(
        /has migrations but no .*snapshot\.json/,
      );
      expect(readdirSync(folder)).toEqual(['0001_init.sql']);
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
