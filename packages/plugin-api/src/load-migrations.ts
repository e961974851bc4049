import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { SqlMigration } from './migration';

const MIGRATION_FILE = /^(\d{4}_[a-z0-9_]+)(\.down)?\.sql$/;

/**
 * Reads a package's `migrations/` folder: `NNNN_<name>.sql` files, each with an optional
 * `NNNN_<name>.down.sql` that undoes it, sorted by id (the file name without `.sql`).
 * Synchronous so a package module can build its registration at import time. A missing
 * folder is a package without migrations; `meta/` and non-SQL files are ignored.
 */
export function loadMigrations(folder: URL): SqlMigration[] {
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name);
  const read = (file: string) => readFileSync(new URL(file, folder), 'utf8');

  const ups = new Set<string>();
  const downs = new Set<string>();
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    // A misnamed file would otherwise never run, silently; make the author rename it.
    if (!match) throw new Error(`Migration file "${file}" in ${folder.href} is not named NNNN_<name>.sql (name: [a-z0-9_]).`);
    (match[2] ? downs : ups).add(match[1]!);
  }
  for (const id of downs) {
    // An orphan down file is almost always a renamed or deleted up file.
    if (!ups.has(id)) throw new Error(`Migration file "${id}.down.sql" in ${folder.href} has no "${id}.sql" to undo.`);
  }

  return [...ups].sort().map((id) =>
    downs.has(id) ? { id, sql: read(`${id}.sql`), down: read(`${id}.down.sql`) } : { id, sql: read(`${id}.sql`) },
  );
}
