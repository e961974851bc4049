import type { DatabaseErrorDetails } from './migration-failed-error.ts';

/** A down SQL failed, or did something a migration may not; the rollback's transaction was rolled back and nothing changed. */
export class RollbackFailedError extends Error {
  readonly kind = 'rollback-failed' as const;

  constructor(
    readonly packageName: string,
    /** The migration whose down SQL failed, or the ones undone when what they did together is refused. */
    readonly migrationIds: readonly string[],
    readonly database: DatabaseErrorDetails,
  ) {
    super(
      `Rolling back ${migrationIds.join(', ')} of ${packageName} failed: ${database.message}${database.code ? ` (SQLSTATE ${database.code})` : ''}${database.detail ? `\n  ${database.detail}` : ''}\n` +
        `The rollback ran in one transaction, which was rolled back: nothing changed, every migration of ${packageName} is still applied. ` +
        'Fix the down SQL (NNNN_name.down.sql) and run it again.',
    );
    this.name = 'RollbackFailedError';
  }
}
