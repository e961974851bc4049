import { droppedNames, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `ydtb/lint-drop-policy`: the workspace policies are the pipeline's; package SQL does not drop them. */
export const dropPolicy: MigrationLintRule = {
  id: 'ydtb/lint-drop-policy',
  severity: 'error',
  description: 'Package SQL must not drop row-level security policies: the workspace policy of every package table is created and checked by the pipeline.',
  hint: 'Remove the statement: the pipeline creates the workspace policy of each package table and verifies it after every migrate.',
  messages: {
    dropped: (policy: string) => `"DROP POLICY ${policy}" removes a row-level security policy.`,
  },
  check({ stmt }: LintStatement) {
    return droppedNames(stmt, 'OBJECT_POLICY').map((policy) => this.messages.dropped!(policy));
  },
};
