import { existingTableCommands, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-drop-column`: dropping a column deletes its values in every row, for good. */
export const dropColumn: MigrationLintRule = {
  id: 'ydtb/lint-drop-column',
  severity: 'error',
  description: 'A migration that drops a column of an existing table deletes its values in every workspace, and code still reading it fails.',
  hint: 'Stop using the column in code first and drop it in a later release, or, when drizzle-kit generated a drop and an add for a rename, regenerate and choose the rename. Declare an intended drop with: -- ydtb:allow ydtb/lint-drop-column <reason>.',
  messages: {
    dropped: (table: string, column: string) => `"ALTER TABLE ${table} DROP COLUMN ${column}" deletes the column's values in every row.`,
  },
  check(statement: LintStatement) {
    return existingTableCommands(statement)
      .filter(({ cmd }) => cmd.subtype === 'AT_DropColumn')
      .map(({ table, cmd }) => this.messages.dropped!(table, cmd.name ?? '?'));
  },
};
