import { NO_TRANSACTION_RULE } from './no-transaction-lint.ts';

/**
 * The ids of the migration lint's own rules: what a migration may never do, whatever it declares
 * (the safety rules, which a migration may allow, are in lint-rules/).
 */
export const MIGRATION_RULES = {
  transaction: 'ydtb/migration-transaction',
  role: 'ydtb/migration-role',
  session: 'ydtb/migration-session',
  database: 'ydtb/migration-database',
  dynamicSql: 'ydtb/migration-dynamic-sql',
  syntax: 'ydtb/migration-syntax',
  noTransaction: NO_TRANSACTION_RULE,
  directive: 'ydtb/migration-directive',
  unusedAllow: 'ydtb/migration-unused-allow',
} as const;
