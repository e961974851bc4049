import { existingTableCommands, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-column-type`: changing a column's type rewrites the table under an exclusive lock. */
export const columnType: MigrationLintRule = {
  id: 'ydtb/lint-column-type',
  severity: 'error',
  description: 'A migration that changes the type of an existing column rewrites the whole table (and its indexes) while holding an ACCESS EXCLUSIVE lock: every read and write waits; values that do not cast make it fail.',
  hint: 'Add a column of the new type, backfill it, switch the code, then drop the old one; or, for a small table or a change PostgreSQL does without a rewrite (varchar to text, a longer varchar), declare it: -- ydtb:allow ydtb/lint-column-type <reason>.',
  messages: {
    changed: (table: string, column: string) => `"ALTER TABLE ${table} ALTER COLUMN ${column} TYPE …" rewrites the table under an ACCESS EXCLUSIVE lock.`,
  },
  check(statement: LintStatement) {
    return existingTableCommands(statement)
      .filter(({ cmd }) => cmd.subtype === 'AT_AlterColumnType')
      .map(({ table, cmd }) => this.messages.changed!(table, cmd.name ?? '?'));
  },
};
