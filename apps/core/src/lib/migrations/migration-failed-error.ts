/** What PostgreSQL said when a statement failed. */
export interface DatabaseErrorDetails {
  readonly message: string;
  readonly code?: string;
  readonly detail?: string;
}

/** A migration failed; its package's transaction was rolled back and the run stopped. */
export class MigrationFailedError extends Error {
  readonly kind = 'migration-failed' as const;

  constructor(
    readonly packageName: string,
    readonly migrationId: string,
    readonly database: DatabaseErrorDetails,
    /** Migrations of the package committed earlier in this run, before one that runs outside a transaction. */
    readonly committed: readonly string[] = [],
  ) {
    super(
      `Migration ${migrationId} of ${packageName} failed: ${database.message}${database.code ? ` (SQLSTATE ${database.code})` : ''}${database.detail ? `\n  ${database.detail}` : ''}\n` +
        (committed.length
          ? `The pending migrations of ${packageName} after ${committed.at(-1)} were rolled back and the run stopped; ${committed.join(', ')} (committed on their own, around a migration that runs outside a transaction) and packages migrated before it are kept.\n`
          : `Every pending migration of ${packageName} was rolled back and the run stopped; packages migrated before it are kept.\n`) +
        'Fix the migration and run migrate again: it continues from here.',
    );
    this.name = 'MigrationFailedError';
  }
}

export function databaseErrorDetails(error: unknown): DatabaseErrorDetails {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, detail } = error as Error & { code?: unknown; detail?: unknown };
  return {
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof detail === 'string' && detail ? { detail } : {}),
  };
}
