import { droppedNames, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-drop-table`: dropping a table deletes every workspace's rows in it, for good. */
export const dropTable: MigrationLintRule = {
  id: 'ydtb/lint-drop-table',
  severity: 'error',
  description: 'A migration that drops a table deletes its rows in every workspace; nothing brings them back.',
  hint: 'Keep the table, or copy what must survive first and declare the drop in the migration: -- ydtb:allow ydtb/lint-drop-table <reason>.',
  messages: {
    dropped: (table: string) => `"DROP TABLE ${table}" deletes the table and every workspace's rows in it.`,
  },
  check({ stmt, createdTables }: LintStatement) {
    return droppedNames(stmt, 'OBJECT_TABLE')
      .filter((name) => !createdTables.has(name.split('.').at(-1)!))
      .map((table) => this.messages.dropped!(table));
  },
};
