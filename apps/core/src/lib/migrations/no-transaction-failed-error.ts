import type { DatabaseErrorDetails } from './migration-failed-error.ts';

/**
 * A migration headed `-- ydtb:no-transaction` failed, or ran but was refused afterwards: it has
 * no history row, so the next migrate retries it. The package's migrations before it are kept.
 */
export class NoTransactionFailedError extends Error {
  readonly kind = 'no-transaction-failed' as const;

  constructor(
    readonly packageName: string,
    readonly migrationId: string,
    readonly database: DatabaseErrorDetails,
    /** The index the migration creates, when it does. */
    readonly index: string | undefined,
    /** Whether that index is now left INVALID (a failed CREATE INDEX CONCURRENTLY). */
    readonly invalidIndexLeft: boolean,
  ) {
    super(
      `${migrationId} of ${packageName} failed outside a transaction and was not recorded: ${database.message}${database.code ? ` (SQLSTATE ${database.code})` : ''}${database.detail ? `\n  ${database.detail}` : ''}\n` +
        `Migrations of ${packageName} before it are applied and kept; nothing after it ran.\n` +
        `A rerun retries it; ${retryNote(index, invalidIndexLeft)}\n` +
        'Fix the cause (the data or the migration) and run migrate again.',
    );
    this.name = 'NoTransactionFailedError';
  }
}

function retryNote(index: string | undefined, invalidIndexLeft: boolean): string {
  if (index && invalidIndexLeft) {
    return `it left the invalid index "${index}", which the rerun drops first (DROP INDEX CONCURRENTLY IF EXISTS) before building it again.`;
  }
  if (index) return `if it left an invalid index "${index}", the rerun drops it first (DROP INDEX CONCURRENTLY IF EXISTS).`;
  return 'write the statement so that running it again is safe (IF NOT EXISTS, IF EXISTS).';
}
