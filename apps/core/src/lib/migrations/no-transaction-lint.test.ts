import { NO_TRANSACTION_RULE } from './no-transaction-lint.ts';
import { describe, expect, it } from '@jest/globals';
import { lintMigrations, MIGRATION_RULES } from './migration-lint.ts';

const lint = (sql: string) => lintMigrations([{ packageName: '@test/alpha', migrations: [{ id: '0002_index', sql }] }]);

describe('the no-transaction lint', () => {
  describe('when a migration headed -- ydtb:no-transaction holds one named statement', () => {
    it.each([
      '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ydtb_alpha_items_label_idx ON ydtb_alpha_items (label);',
      '-- ydtb:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS ydtb_alpha_items_label_idx;',
      "-- ydtb:no-transaction\nALTER TYPE ydtb_alpha_state ADD VALUE IF NOT EXISTS 'archived';",
    ])('should accept %s', async (sql) => {
      expect(await lint(sql)).toEqual([]);
    });
  });

  describe('when it holds more than one statement', () => {
    it('should refuse it at the second statement with the rule, file and line', async () => {
      const findings = await lint('-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY a_idx ON t (a);\n\nCREATE INDEX CONCURRENTLY b_idx ON t (b);');

      expect(findings).toEqual([
        expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, severity: 'error', packageName: '@test/alpha', migration: '0002_index', line: 4 }),
      ]);
      expect(findings[0]!.message).toContain('holds exactly one statement; this one holds 2');
      expect(findings[0]!.hint).toContain('one file per statement');
    });

    it('should refuse one that holds no statement', async () => {
      expect(await lint('-- ydtb:no-transaction\n-- nothing here')).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, line: 1 })]);
    });
  });

  describe('when the index it creates has no name', () => {
    it('should refuse it: a rerun could not find the invalid index', async () => {
      const findings = await lint('-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY ON t (a);');

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, line: 2 })]);
      expect(findings[0]!.hint).toContain('Name the index');
    });
  });

  describe('when a migration without the header holds a statement PostgreSQL refuses in a transaction', () => {
    it.each([
      ['CREATE INDEX CONCURRENTLY a_idx ON t (a);', 'CREATE INDEX CONCURRENTLY'],
      ['DROP INDEX CONCURRENTLY a_idx;', 'DROP INDEX CONCURRENTLY'],
      ['REINDEX INDEX CONCURRENTLY a_idx;', 'REINDEX … CONCURRENTLY'],
      ['VACUUM t;', 'VACUUM'],
    ])('should refuse %s and point to the header', async (statement, shown) => {
      const findings = await lint(`CREATE TABLE t (a text);\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, line: 2 })]);
      expect(findings[0]!.message).toContain(`"${shown}" cannot run inside the package's transaction`);
      expect(findings[0]!.hint).toContain('-- ydtb:no-transaction');
    });

    it('should accept the same statements without CONCURRENTLY', async () => {
      // (The safety lint still warns of the plain index on an existing table: not this rule's concern.)
      const findings = await lint('CREATE INDEX a_idx ON t (a);\nDROP INDEX a_idx;\nREINDEX INDEX a_idx;\nANALYZE t;');
      expect(findings.filter((f) => f.rule === NO_TRANSACTION_RULE)).toEqual([]);
    });
  });

  describe('when the one statement is a DO block or a procedure call', () => {
    it('should refuse a DO block that commits midway, as a DO block and for its COMMIT', async () => {
      const sql = "-- ydtb:no-transaction\nDO $$ BEGIN EXECUTE 'CREATE TABLE ydtb_alpha_a (id int)'; COMMIT; PERFORM 1/0; END $$;";

      const findings = await lint(sql);

      expect(findings.map((f) => [f.rule, f.line])).toEqual([
        [MIGRATION_RULES.transaction, 2],
        [MIGRATION_RULES.noTransaction, 2],
      ]);
      expect(findings[1]!.message).toContain('runs one plain statement, and this one is a DO block');
      expect(findings[1]!.hint).toContain('plain statements in ordinary migrations');
    });

    it.each([
      ['a DO block that does nothing wrong', "-- ydtb:no-transaction\nDO $$ BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY a_idx ON t (a)'; END $$;", 'a DO block'],
      ['a procedure call', '-- ydtb:no-transaction\nCALL ydtb_alpha_backfill();', 'a procedure call'],
    ])('should refuse %s', async (_, sql, what) => {
      const findings = await lint(sql);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.noTransaction, severity: 'error', line: 2 })]);
      expect(findings[0]!.message).toContain(`this one is ${what}`);
    });
  });

  describe('when the one statement controls the transaction', () => {
    it('should still refuse it as transaction control', async () => {
      expect(await lint('-- ydtb:no-transaction\nCOMMIT;')).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.transaction, line: 2 })]);
    });
  });
});
