import type { LintStatement, MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-grant`: privileges are the pipeline's; package SQL does not grant or revoke them (role memberships: ydtb/migration-database, never allowed). */
export const grant: MigrationLintRule = {
  id: 'ydtb/lint-grant',
  severity: 'error',
  description: 'Package SQL must not GRANT or REVOKE privileges, nor change default privileges: the pipeline grants the application role exactly what it needs, and any other grant is a path around it.',
  hint: 'Remove the statement: the pipeline grants the application role (ydtb_app) its rights on every package table after each migrate.',
  messages: {
    granted: (shown: string) => `"${shown}" changes privileges the pipeline manages.`,
  },
  check({ stmt, shown }: LintStatement) {
    const changes = 'GrantStmt' in stmt || 'AlterDefaultPrivilegesStmt' in stmt;
    return changes ? [this.messages.granted!(shown)] : [];
  },
};
