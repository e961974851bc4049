import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { SqlMigration } from './migration.ts';
import { MigrationFolderError } from './migration-folder-error.ts';

const MIGRATION_FILE = /^(\d{4}_[a-z0-9_]+)(\.down)?\.sql$/;

/**
 * Reads a package's `migrations/` folder: `NNNN_<name>.sql` files, each with an optional
 * `NNNN_<name>.down.sql` that undoes it, sorted by id (the file name without `.sql`).
 * Synchronous so a package module can build its registration at import time. A missing
 * folder is a package without migrations; `meta/` and non-SQL files are ignored; symbolic
 * links are followed. A file that looks like a migration but would never run (misnamed,
 * `.SQL`, a broken link, a down file without its up file) throws MigrationFolderError.
 */
export function loadMigrations(folder: URL): SqlMigration[] {
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.name.toLowerCase().endsWith('.sql'))
    .filter((entry) => isFile(folder, entry.name))
    .map((entry) => entry.name);
  const read = (file: string) => readFileSync(new URL(file, folder), 'utf8');

  const ups = new Set<string>();
  const downs = new Set<string>();
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    // A misnamed file would otherwise never run, silently; make the author rename it.
    if (!match) throw MigrationFolderError.in(folder, file, 'not named NNNN_<name>.sql (name: [a-z0-9_], extension in lower case): rename it, or it never runs.');
    (match[2] ? downs : ups).add(match[1]!);
  }
  for (const id of downs) {
    // An orphan down file is almost always a renamed or deleted up file.
    if (!ups.has(id)) throw MigrationFolderError.in(folder, `${id}.down.sql`, `has no "${id}.sql" to undo.`);
  }

  return [...ups].sort().map((id) =>
    downs.has(id) ? { id, sql: read(`${id}.sql`), down: read(`${id}.down.sql`) } : { id, sql: read(`${id}.sql`) },
  );
}

/** Whether the entry is a file, following symbolic links; a link that leads nowhere is an error. */
function isFile(folder: URL, name: string): boolean {
  try {
    return statSync(new URL(name, folder)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw MigrationFolderError.in(folder, name, `cannot be read (${code}): a symbolic link to a missing file? Restore its target or remove it.`);
  }
}
