import { existingTableCommands, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

const CHECKED = { CONSTR_FOREIGN: 'FOREIGN KEY', CONSTR_CHECK: 'CHECK' } as const;

/**
 * `ydtb/lint-constraint-not-valid` (warning): adding a foreign key or check constraint to an
 * existing table scans every row while writes wait. A warning, not an error: on a small table
 * the scan takes moments, and drizzle-kit generates the plain form.
 */
export const constraintNotValid: MigrationLintRule = {
  id: 'ydtb/lint-constraint-not-valid',
  severity: 'warning',
  description: 'A migration that adds a foreign key or a check constraint to an existing table without NOT VALID checks every row while holding a lock that blocks writes (a foreign key also locks the table it references).',
  hint: 'For a large table, add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a later statement or migration: validation does not block writes.',
  messages: {
    validated: (table: string, kind: string, name: string) => `"ALTER TABLE ${table} ADD CONSTRAINT ${name} ${kind}" checks every existing row while writes wait.`,
  },
  check(statement: LintStatement) {
    return existingTableCommands(statement).flatMap(({ table, cmd }) => {
      if (cmd.subtype !== 'AT_AddConstraint' || !cmd.def || !('Constraint' in cmd.def)) return [];
      const { contype, skip_validation, conname = '(unnamed)' } = cmd.def.Constraint;
      const kind = CHECKED[contype as keyof typeof CHECKED];
      return kind && !skip_validation ? [this.messages.validated!(table, kind, conname)] : [];
    });
  },
};
