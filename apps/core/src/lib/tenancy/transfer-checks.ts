import type { RegisteredPackage } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { readHistory } from '../migrations/history.ts';
import { planMigrations } from '../migrations/migration-plan.ts';
import type { ExportManifest } from './export-manifest.ts';
import type { LiveColumn, TransferTable } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

/** Refuses when a package among `packages` has migrations pending: its tables are not what its code declares. */
export async function requireMigrated(client: SqlClient, packages: readonly RegisteredPackage[]): Promise<void> {
  const plan = planMigrations(packages, await readHistory(client));
  const pending = plan.packages.filter((p) => p.pending.length > 0);
  if (pending.length > 0) {
    throw new TransferRefusedError(
      'not-migrated',
      'The database is not migrated: run ydtb db migrate first, then run this again. Nothing was changed.',
      pending.map((p) => `${p.packageName}: ${p.pending.map((m) => m.id).join(', ')} pending`),
    );
  }
}

/** Refuses a manifest whose packages are not installed here at the same versions. */
export function requireSameVersions(manifest: ExportManifest, installed: readonly RegisteredPackage[]): void {
  const versions = new Map(installed.map((p) => [p.registration.packageName, p.registration.version]));
  const problems = manifest.packages.flatMap(({ name, version }) => {
    const here = versions.get(name);
    if (here === undefined) return [`${name} ${version}: not installed`];
    return here === version ? [] : [`${name}: exported from ${version}, installed ${here}`];
  });
  if (problems.length > 0) {
    throw new TransferRefusedError(
      'versions',
      'The export was made with other package versions than are installed; nothing was written. Install the versions it names (or migrate the source to these first and export again):',
      problems,
    );
  }
}

/** The exported columns of a table: every live column but generated ones, in column order. */
export function exportedColumns(live: readonly LiveColumn[]): LiveColumn[] {
  return live.filter((c) => !c.generated);
}

/**
 * The live columns of each manifest table, in file order: every table must be one the registry
 * knows (with `allowed`) and its file's columns exactly the live table's non-generated ones.
 */
export function matchColumns(
  manifest: ExportManifest,
  allowed: ReadonlyMap<string, TransferTable>,
  live: ReadonlyMap<string, readonly LiveColumn[]>,
): Map<string, LiveColumn[]> {
  const matched = new Map<string, LiveColumn[]>();
  const unknown: string[] = [];
  const differ: string[] = [];
  for (const entry of manifest.tables) {
    const table = allowed.get(entry.table);
    const columns = live.get(entry.table);
    if (!table || table.packageName !== entry.packageName || !columns) {
      unknown.push(`${entry.file}: table "${entry.table}" of ${entry.packageName}`);
      continue;
    }
    const byName = new Map(exportedColumns(columns).map((c) => [c.name, c]));
    const ordered = entry.columns.map((name) => byName.get(name));
    if (ordered.some((c) => c === undefined) || entry.columns.length !== byName.size || new Set(entry.columns).size !== entry.columns.length) {
      differ.push(`${entry.table}: the file has (${entry.columns.join(', ')}), the table has (${[...byName.keys()].join(', ')})`);
      continue;
    }
    matched.set(entry.table, ordered as LiveColumn[]);
  }
  if (unknown.length > 0) {
    throw new TransferRefusedError('unknown-table', 'The export holds tables this database does not have for that package; nothing was written:', unknown);
  }
  if (differ.length > 0) {
    throw new TransferRefusedError('columns-differ', 'The columns of some tables differ from the export; nothing was written. Migrate to the exported package versions:', differ);
  }
  return matched;
}
