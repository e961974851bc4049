import { describe, expect, it } from '@jest/globals';
import { loadMigrations } from '@ydtb/plugin-api';
import { lintMigrations, MIGRATION_RULES } from './migration-lint.ts';

const lint = (sql: string) => lintMigrations([{ packageName: '@test/alpha', migrations: [{ id: '0002_change', sql }] }]);
const rulesOf = async (sql: string) => (await lint(sql)).map((f) => [f.rule, f.severity, f.line]);

const create = 'CREATE TABLE "ydtb_alpha_items" (\n\t"id" text PRIMARY KEY NOT NULL,\n\t"workspace_id" text NOT NULL\n);';

describe('lintMigrations safety rules', () => {
  describe.each([
    ['ydtb/lint-drop-table', 'error', 'DROP TABLE "ydtb_alpha_items" CASCADE;', `${create}\nDROP TABLE "ydtb_alpha_items";`],
    ['ydtb/lint-drop-column', 'error', 'ALTER TABLE "ydtb_alpha_items" DROP COLUMN "label";', `${create}\nALTER TABLE "ydtb_alpha_items" DROP COLUMN "workspace_id";`],
    ['ydtb/lint-rename', 'error', 'ALTER TABLE "ydtb_alpha_items" RENAME COLUMN "label" TO "title";', 'ALTER INDEX "ydtb_alpha_i" RENAME TO "ydtb_alpha_j";'],
    ['ydtb/lint-rename', 'error', 'ALTER TABLE "ydtb_alpha_items" RENAME TO "ydtb_alpha_things";', `${create}\nALTER TABLE "ydtb_alpha_items" RENAME TO "ydtb_alpha_things";`],
    ['ydtb/lint-column-type', 'error', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "size" SET DATA TYPE bigint;', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "size" SET DEFAULT 0;'],
    ['ydtb/lint-not-null-column', 'error', 'ALTER TABLE "ydtb_alpha_items" ADD COLUMN "size" integer NOT NULL;', 'ALTER TABLE "ydtb_alpha_items" ADD COLUMN "size" integer DEFAULT 0 NOT NULL;'],
    ['ydtb/lint-not-null-column', 'error', 'ALTER TABLE "ydtb_alpha_items" ADD COLUMN "size" integer NOT NULL;', 'ALTER TABLE "ydtb_alpha_items" ADD COLUMN "seq" serial NOT NULL;'],
    ['ydtb/lint-index-concurrently', 'warning', 'CREATE INDEX "ydtb_alpha_i" ON "ydtb_alpha_items" USING btree ("workspace_id");', `${create}\nCREATE INDEX "ydtb_alpha_i" ON "ydtb_alpha_items" USING btree ("workspace_id");`],
    ['ydtb/lint-constraint-not-valid', 'warning', 'ALTER TABLE "ydtb_alpha_items" ADD CONSTRAINT "c" CHECK ("size" > 0);', 'ALTER TABLE "ydtb_alpha_items" ADD CONSTRAINT "c" CHECK ("size" > 0) NOT VALID;'],
    ['ydtb/lint-constraint-not-valid', 'warning', 'ALTER TABLE "ydtb_alpha_items" ADD CONSTRAINT "fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id");', `${create}\nALTER TABLE "ydtb_alpha_items" ADD CONSTRAINT "fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;`],
    ['ydtb/lint-row-level-security', 'error', 'ALTER TABLE "ydtb_alpha_items" DISABLE ROW LEVEL SECURITY;', 'ALTER TABLE "ydtb_alpha_items" ENABLE ROW LEVEL SECURITY;'],
    ['ydtb/lint-row-level-security', 'error', `${create}\nALTER TABLE "ydtb_alpha_items" NO FORCE ROW LEVEL SECURITY;`, 'ALTER TABLE "ydtb_alpha_items" FORCE ROW LEVEL SECURITY;'],
    ['ydtb/lint-drop-policy', 'error', 'DROP POLICY "ydtb_workspace_isolation" ON "ydtb_alpha_items";', 'DROP INDEX "ydtb_alpha_i";'],
    ['ydtb/lint-grant', 'error', 'GRANT ALL ON "ydtb_alpha_items" TO PUBLIC;', 'COMMENT ON TABLE "ydtb_alpha_items" IS \'GRANT ALL ON it TO PUBLIC\';'],
    ['ydtb/lint-grant', 'error', 'REVOKE SELECT ON "ydtb_alpha_items" FROM ydtb_app;', 'SELECT 1;'],
    ['ydtb/lint-grant', 'error', 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;', 'SELECT 1;'],
  ])('%s', (rule, severity, failing, passing) => {
    it(`should report "${failing.split('\n').at(-1)}" as ${severity} on its line, with a hint`, async () => {
      const sql = `-- a comment line\n${failing}`;
      const findings = await lint(sql);
      const line = sql.split('\n').length;

      expect(findings).toEqual([expect.objectContaining({ rule, severity, line, packageName: '@test/alpha', migration: '0002_change' })]);
      expect(findings[0]!.hint.length).toBeGreaterThan(20);
    });

    it(`should accept "${passing.split('\n').at(-1)}"`, async () => {
      expect(await lint(passing)).toEqual([]);
    });
  });

  describe('when a column type change needs no rewrite: varchar to text, a longer varchar', () => {
    const earlier = [{ sql: 'CREATE TABLE "ydtb_alpha_items" (\n\t"id" varchar(36) NOT NULL,\n\t"workspace_id" varchar(256) NOT NULL,\n\t"size" integer\n);' }];
    const lintAfter = (sql: string) => lintMigrations([{ packageName: '@test/alpha', migrations: [{ id: '0002_change', sql }], earlier }]);

    it.each([
      'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "workspace_id" SET DATA TYPE text;',
      'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" SET DATA TYPE varchar(64);',
      'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" SET DATA TYPE character varying;',
      // The type an earlier statement of the same migration gave it counts.
      'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" SET DATA TYPE varchar(64);\nALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" SET DATA TYPE text;',
    ])('should accept %s', async (sql) => {
      expect(await lintAfter(sql)).toEqual([]);
    });

    it.each([
      ['a shorter varchar', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" SET DATA TYPE varchar(10);'],
      ['integer to text', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "size" SET DATA TYPE text;'],
      ['a USING expression', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "id" TYPE text USING lower("id");'],
      ['a column of unknown type', 'ALTER TABLE "ydtb_alpha_items" ALTER COLUMN "label" SET DATA TYPE text;'],
    ])('should still report %s', async (_what, sql) => {
      expect((await lintAfter(sql)).map((f) => f.rule)).toEqual(['ydtb/lint-column-type']);
    });
  });

  describe('when drizzle-kit generates a new package: tables, then foreign keys and indexes on them', () => {
    it('should find nothing', async () => {
      const sql = [
        create,
        '--> statement-breakpoint',
        'CREATE TABLE "ydtb_alpha_notes" ("id" text NOT NULL, "item_id" text NOT NULL, "workspace_id" text NOT NULL);',
        '--> statement-breakpoint',
        'ALTER TABLE "ydtb_alpha_notes" ADD CONSTRAINT "ydtb_alpha_notes_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ydtb_alpha_items"("id") ON DELETE cascade ON UPDATE no action;',
        '--> statement-breakpoint',
        'ALTER TABLE "ydtb_alpha_notes" ADD COLUMN "size" integer NOT NULL;',
        '--> statement-breakpoint',
        'CREATE INDEX "ydtb_alpha_notes_item_idx" ON "ydtb_alpha_notes" USING btree ("item_id");',
      ].join('\n');

      expect(await lint(sql)).toEqual([]);
    });
  });

  describe('when the checked-in migrations of the repository are read', () => {
    const folders = ['apps/core', 'packages/basic', 'packages/crm', 'packages/fixture-invoicing', 'packages/fixture-teams', 'packages/testing/fixtures/third-party/package'];

    it.each(folders)('should find nothing in %s/migrations', async (folder) => {
      const migrations = loadMigrations(new URL(`../../../../../${folder}/migrations/`, import.meta.url));

      expect(migrations.length).toBeGreaterThan(0);
      expect(await lintMigrations([{ packageName: folder, migrations: migrations.map((m) => ({ id: m.id, sql: m.sql })) }])).toEqual([]);
    });
  });

  describe('when a migration allows a finding with a reason', () => {
    it('should drop that finding and keep the others', async () => {
      const sql = [
        '-- ydtb:allow ydtb/lint-drop-column the column was never read',
        'ALTER TABLE "ydtb_alpha_items" DROP COLUMN "legacy";',
        'ALTER TABLE "ydtb_alpha_items" ADD COLUMN "size" integer NOT NULL;',
      ].join('\n');

      expect(await rulesOf(sql)).toEqual([['ydtb/lint-not-null-column', 'error', 3]]);
    });

    it('should drop every finding of that rule in the migration', async () => {
      const sql = '-- ydtb:allow ydtb/lint-drop-table both were replaced in 0001\nDROP TABLE "ydtb_alpha_a";\nDROP TABLE "ydtb_alpha_b";';

      expect(await lint(sql)).toEqual([]);
    });
  });

  describe('when an allow has no reason', () => {
    it('should report the directive and keep the finding it meant to allow', async () => {
      const sql = '-- ydtb:allow ydtb/lint-drop-table\nDROP TABLE "ydtb_alpha_items";';

      expect(await rulesOf(sql)).toEqual([
        [MIGRATION_RULES.directive, 'error', 1],
        ['ydtb/lint-drop-table', 'error', 2],
      ]);
    });
  });

  describe('when an allow matches no finding', () => {
    it('should report the unused allow on its line', async () => {
      const sql = `${create}\n-- ydtb:allow ydtb/lint-drop-column nothing is dropped any more`;
      const findings = await lint(sql);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.unusedAllow, severity: 'error', line: 5 })]);
      expect(findings[0]!.message).toContain('ydtb/lint-drop-column');
    });

    it('should report an allow of a rule that does not exist or cannot be allowed', async () => {
      const sql = `-- ydtb:allow ydtb/lint-drop-colum typo\n-- ydtb:allow ${MIGRATION_RULES.transaction} we commit on purpose\nCOMMIT;`;

      expect(await rulesOf(sql)).toEqual([
        [MIGRATION_RULES.directive, 'error', 1],
        [MIGRATION_RULES.directive, 'error', 2],
        [MIGRATION_RULES.transaction, 'error', 3],
      ]);
    });
  });

  describe('when a directive is unknown', () => {
    it('should report it', async () => {
      expect(await rulesOf(`-- ydtb:alow ydtb/lint-drop-table x\n${create}`)).toEqual([[MIGRATION_RULES.directive, 'error', 1]]);
    });
  });
});
