import { isExisting, tableOf, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/**
 * `ydtb/lint-index-concurrently` (warning): a plain CREATE INDEX on an existing table blocks
 * its writes while the index builds. A warning, not an error: on a small table the build takes
 * moments and a plain index is what drizzle-kit generates, while CONCURRENTLY takes a migration
 * of its own outside the transaction; only the author knows how large the table is.
 */
export const indexConcurrently: MigrationLintRule = {
  id: 'ydtb/lint-index-concurrently',
  severity: 'warning',
  description: 'A migration that creates an index on an existing table without CONCURRENTLY blocks every write to the table until the index is built.',
  hint: 'For a large table, build the index in a migration of its own that starts with -- ydtb:no-transaction: CREATE INDEX CONCURRENTLY IF NOT EXISTS …; for a small one, nothing to do.',
  messages: {
    plain: (index: string, table: string) => `"CREATE INDEX ${index} ON ${table}" blocks writes to the existing table while it builds.`,
  },
  check(statement: LintStatement) {
    const { stmt } = statement;
    if (!('IndexStmt' in stmt) || stmt.IndexStmt.concurrent) return [];
    const { relation, idxname = '(unnamed)' } = stmt.IndexStmt;
    return isExisting(statement, relation) ? [this.messages.plain!(idxname, tableOf(relation))] : [];
  },
};
