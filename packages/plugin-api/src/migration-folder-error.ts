import { fileURLToPath } from 'node:url';

/**
 * A package's `migrations/` folder cannot be read as migrations: a misnamed or unreadable
 * file, or a down file without its up file. Thrown by `loadMigrations` when the package
 * module is imported; the host reports it as an invalid package.
 */
export class MigrationFolderError extends Error {
  readonly kind = 'migration-folder' as const;

  constructor(
    /** The folder, as a path. */
    readonly folder: string,
    /** The offending file's name inside the folder. */
    readonly file: string,
    /** What is wrong with it and how to fix it. */
    readonly problem: string,
  ) {
    super(`Migration file "${file}" in ${folder}: ${problem}`);
    this.name = 'MigrationFolderError';
  }

  static in(folder: URL, file: string, problem: string): MigrationFolderError {
    return new MigrationFolderError(folder.protocol === 'file:' ? fileURLToPath(folder) : folder.href, file, problem);
  }
}
