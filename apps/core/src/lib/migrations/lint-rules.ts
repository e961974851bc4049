import type { MigrationLintRule } from './lint-rule';
import { columnType } from './lint-rules/column-type';
import { constraintNotValid } from './lint-rules/constraint-not-valid';
import { dropColumn } from './lint-rules/drop-column';
import { dropPolicy } from './lint-rules/drop-policy';
import { dropTable } from './lint-rules/drop-table';
import { grant } from './lint-rules/grant';
import { indexConcurrently } from './lint-rules/index-concurrently';
import { notNullColumn } from './lint-rules/not-null-column';
import { rename } from './lint-rules/rename';
import { rowLevelSecurity } from './lint-rules/row-level-security';

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
