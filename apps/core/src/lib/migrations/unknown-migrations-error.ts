import { HISTORY_TABLE } from './history.ts';

/**
 * The history records migrations their package does not ship: a migration file was deleted or
 * renamed, or the row was written by hand. Migrating on would build on a state nobody can
 * reproduce, so nothing runs until the file is back or the row is removed.
 */
export class UnknownMigrationsError extends Error {
  readonly kind = 'unknown-migrations' as const;

  constructor(readonly unknown: readonly { readonly packageName: string; readonly migrationId: string }[]) {
    super(
      [
        `The migration history records ${unknown.length} ${unknown.length === 1 ? 'migration' : 'migrations'} that ${unknown.length === 1 ? 'its package does' : 'their packages do'} not ship; nothing was migrated.`,
        ...unknown.map((m) => `  ${m.packageName} ${m.migrationId}: recorded as applied, but ${m.packageName} has no ${m.migrationId}.sql`),
        'If the file was deleted or renamed, restore it. If the row is wrong (the migration never ran here, or what it did was undone),',
        'check the database first, then remove the row:',
        ...unknown.map((m) => `  ${deleteStatement(m.packageName, m.migrationId)}`),
      ].join('\n'),
    );
    this.name = 'UnknownMigrationsError';
  }
}

/** The statement that removes one history row, with its values quoted as SQL literals. */
export function deleteStatement(packageName: string, migrationId: string): string {
  return `DELETE FROM ${HISTORY_TABLE} WHERE package_name = ${literal(packageName)} AND migration_id = ${literal(migrationId)};`;
}

/** The statement that removes every history row of a package that is no longer installed. */
export function deletePackageStatement(packageName: string): string {
  return `DELETE FROM ${HISTORY_TABLE} WHERE package_name = ${literal(packageName)};`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
