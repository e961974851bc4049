import { isExisting, tableOf, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-rename`: renaming a table or column breaks every running instance still using the old name. */
export const rename: MigrationLintRule = {
  id: 'ydtb/lint-rename',
  severity: 'error',
  description: 'A migration that renames an existing table or column breaks the code still running with the old name until every instance is redeployed.',
  hint: 'Add the new column or table, write to both, move readers over, then drop the old one in a later release; or declare the rename when every reader changes with it: -- ydtb:allow ydtb/lint-rename <reason>.',
  messages: {
    table: (from: string, to: string) => `"ALTER TABLE ${from} RENAME TO ${to}": code still using "${from}" fails once this runs.`,
    column: (table: string, from: string, to: string) => `"ALTER TABLE ${table} RENAME COLUMN ${from} TO ${to}": code still using "${from}" fails once this runs.`,
  },
  check(statement: LintStatement) {
    const { stmt } = statement;
    if (!('RenameStmt' in stmt)) return [];
    const { renameType, relation, subname = '?', newname = '?' } = stmt.RenameStmt;
    if (!relation || !isExisting(statement, relation)) return [];
    if (renameType === 'OBJECT_TABLE') return [this.messages.table!(tableOf(relation), newname)];
    if (renameType === 'OBJECT_COLUMN') return [this.messages.column!(tableOf(relation), subname, newname)];
    return [];
  },
};
