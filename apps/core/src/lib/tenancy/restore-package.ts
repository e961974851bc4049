import { join } from 'node:path';
import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { withMigrationLock } from '../migrations/advisory-lock.ts';
import { packagesInOrder } from '../migrations/migrate-database.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { readManifest, verifyChecksums } from './export-manifest.ts';
import type { TableProgress } from './export-workspace.ts';
import { insertRowFile } from './row-files.ts';
import { advanceSequences } from './sequences.ts';
import { matchColumns, requireMigrated, requireSameVersions } from './transfer-checks.ts';
import { liftRowSecurity, rolledBackWhen, useExactTextForms } from './transfer-session.ts';
import { readLiveColumns, tablesInDependencyOrder } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';
import { registeredPackage } from './uninstall-package.ts';

export interface RestoreOptions {
  /** A folder written by `uninstallPackage` (`ydtb db uninstall --export`). */
  readonly dir: string;
  readonly onTable?: (progress: TableProgress) => void;
  readonly waitingForLock?: () => void;
  /** Check and load everything, then roll back: nothing is kept. */
  readonly dryRun?: boolean;
}

export interface RestoreResult {
  readonly packageName: string;
  readonly dryRun: boolean;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
}

/**
 * Loads a package's exported rows back into its tables, recreated by a migrate: every checksum is
 * verified and the versions compared first; the package's workspace tables must be empty (a
 * global table's rows, shipped by its migrations, are replaced by the exported ones). One
 * transaction under the migration lock, as the migrating role not through row-level security
 * (the rows are every workspace's); serial and identity sequences are moved past the ids.
 */
export async function restorePackage(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { dir, onTable, waitingForLock = () => undefined, dryRun = false }: RestoreOptions,
): Promise<RestoreResult> {
  const manifest = readManifest(dir);
  if (manifest.kind !== 'package' || !manifest.packageName) {
    throw new TransferRefusedError('wrong-kind', `${dir} holds an export of the workspace "${manifest.workspaceId}", not of a package: load it with ydtb workspace import ${dir}.`);
  }
  const packageName = manifest.packageName;
  await verifyChecksums(dir, manifest);
  const pkg = registeredPackage(registry, packageName);
  requireSameVersions(manifest, packagesInOrder(registry));
  await requireMigrated(client, [pkg]);
  const tables = tablesInDependencyOrder([pkg], registry.core, config);
  const byName = new Map(tables.map((t) => [t.name, t]));
  return withMigrationLock(client, waitingForLock, () =>
    rolledBackWhen(dryRun, client, async (tx) => {
      await useExactTextForms(tx);
      const names = tables.map((t) => t.name);
      const live = await readLiveColumns(tx, names);
      if (live.size < names.length) await requireMigrated(tx, [pkg]);
      const columns = matchColumns(manifest, byName, live);
      const restoreSecurity = await liftRowSecurity(tx, names);
      const filled: string[] = [];
      for (const table of tables.filter((t) => t.scope === 'workspace')) {
        const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table.name)}`);
        if (Number(row?.n ?? 0) > 0) filled.push(`${table.name}: ${row!.n} row(s)`);
      }
      if (filled.length > 0) {
        throw new TransferRefusedError('not-empty', `The tables of ${packageName} already hold rows; nothing was written. Restore into the tables a migrate just recreated:`, filled);
      }
      const restored: { table: string; rows: number }[] = [];
      for (const entry of manifest.tables) {
        const table = byName.get(entry.table)!;
        const started = performance.now();
        if (table.scope === 'global') await tx.exec(`DELETE FROM ${quoteIdent(table.name)}`);
        const done = await insertRowFile(tx, join(dir, entry.file), { table: entry.table, columns: columns.get(entry.table)! });
        await advanceSequences(tx, entry.table, columns.get(entry.table)!);
        restored.push({ table: entry.table, rows: done.inserted });
        onTable?.({ table: entry.table, packageName, rows: done.inserted, durationMs: performance.now() - started });
      }
      await restoreSecurity();
      return { packageName, tables: restored, dryRun };
    }),
  );
}
