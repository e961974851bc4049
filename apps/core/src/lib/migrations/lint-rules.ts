import type { MigrationLintRule } from './lint-rule.ts';
import { columnType } from './lint-rules/column-type.ts';
import { constraintNotValid } from './lint-rules/constraint-not-valid.ts';
import { dropColumn } from './lint-rules/drop-column.ts';
import { dropPolicy } from './lint-rules/drop-policy.ts';
import { dropTable } from './lint-rules/drop-table.ts';
import { grant } from './lint-rules/grant.ts';
import { indexConcurrently } from './lint-rules/index-concurrently.ts';
import { notNullColumn } from './lint-rules/not-null-column.ts';
import { rename } from './lint-rules/rename.ts';
import { rowLevelSecurity } from './lint-rules/row-level-security.ts';

/** The safety rules every pending migration is read with, one a file under lint-rules/. */
export const LINT_RULES: readonly MigrationLintRule[] = [
  dropTable,
  dropColumn,
  rename,
  columnType,
  notNullColumn,
  indexConcurrently,
  constraintNotValid,
  rowLevelSecurity,
  dropPolicy,
  grant,
];
