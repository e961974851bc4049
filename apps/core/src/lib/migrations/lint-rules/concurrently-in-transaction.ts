import type { LintStatement, MigrationLintRule } from '../lint-rule';

/** `ydtb/lint-concurrently-in-transaction`: CONCURRENTLY cannot run in the package's transaction. */
export const concurrentlyInTransaction: MigrationLintRule = {
  id: 'ydtb/lint-concurrently-in-transaction',
  severity: 'error',
  description: 'CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY cannot run inside a transaction block, and each package\'s migrations run in one unless the migration declares otherwise.',
  hint: 'Put the statement in a migration of its own whose first line is -- ydtb:no-transaction, written to be rerun safely (CREATE INDEX CONCURRENTLY IF NOT EXISTS …).',
  messages: {
    inTransaction: (shown: string) => `"${shown}" cannot run inside the package's transaction: PostgreSQL refuses it and the migration fails.`,
  },
  check({ stmt, shown, noTransaction }: LintStatement) {
    if (noTransaction) return [];
    const concurrent = ('IndexStmt' in stmt && stmt.IndexStmt.concurrent) || ('DropStmt' in stmt && stmt.DropStmt.concurrent);
    return concurrent ? [this.messages.inTransaction!(shown)] : [];
  },
};
