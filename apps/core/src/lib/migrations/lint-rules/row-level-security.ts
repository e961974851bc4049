import { alterTableCommands, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

const WEAKENING = { AT_DisableRowSecurity: 'DISABLE ROW LEVEL SECURITY', AT_NoForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY' } as const;

/** `ydtb/lint-row-level-security`: row-level security is the pipeline's, and a package may not turn it off. */
export const rowLevelSecurity: MigrationLintRule = {
  id: 'ydtb/lint-row-level-security',
  severity: 'error',
  description: 'Package SQL must not disable or unforce row-level security: it is what keeps one workspace from reading another\'s rows, and the pipeline manages it for every package table.',
  hint: 'Remove the statement: the pipeline enables and forces row-level security on every package table after its migrations. Declare a table that holds no workspace data in globalTables instead.',
  messages: {
    weakened: (table: string, action: string) => `"ALTER TABLE ${table} ${action}" turns off the isolation of workspaces on that table.`,
  },
  check({ stmt }: LintStatement) {
    return alterTableCommands(stmt).flatMap(({ table, cmd }) => {
      const action = WEAKENING[cmd.subtype as keyof typeof WEAKENING];
      return action ? [this.messages.weakened!(table, action)] : [];
    });
  },
};
