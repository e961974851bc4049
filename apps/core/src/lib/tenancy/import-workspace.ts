import { join } from 'node:path';
import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { withMigrationLock } from '../migrations/advisory-lock.ts';
import { packagesInOrder } from '../migrations/migrate-database.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { readManifest, verifyChecksums } from './export-manifest.ts';
import type { TableProgress } from './export-workspace.ts';
import { insertRowFile, type RowTarget } from './row-files.ts';
import { advanceSequences } from './sequences.ts';
import { matchColumns, requireMigrated, requireSameVersions } from './transfer-checks.ts';
import { enterWorkspace, leaveApplicationRole, rolledBackWhen, useExactTextForms } from './transfer-session.ts';
import { readLiveColumns, tablesInDependencyOrder, type TransferTable } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

export interface WorkspaceImportOptions {
  /** A folder written by `exportWorkspace`. */
  readonly dir: string;
  readonly onTable?: (progress: TableProgress & { readonly kept: number }) => void;
  readonly waitingForLock?: () => void;
  /** Check and load everything, then roll back: nothing is kept. */
  readonly dryRun?: boolean;
}

export interface ImportedTable {
  readonly table: string;
  readonly packageName: string;
  readonly rows: number;
  /** Rows of a shared core table (users) already present here, kept as they are. */
  readonly kept: number;
}

export interface WorkspaceImportResult {
  readonly workspaceId: string;
  readonly tables: readonly ImportedTable[];
  readonly dryRun: boolean;
}

/**
 * Loads a workspace export into this database, which must not hold that workspace: every file's
 * checksum is verified and the package versions compared before anything is written; then, in
 * one transaction under the migration lock, core rows are inserted as the migrating role and
 * package rows as the application role with the workspace set (row-level security refuses a row
 * of any other workspace), and serial and identity sequences are moved past the imported ids.
 */
export async function importWorkspace(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { dir, onTable, waitingForLock = () => undefined, dryRun = false }: WorkspaceImportOptions,
): Promise<WorkspaceImportResult> {
  const manifest = readManifest(dir);
  if (manifest.kind !== 'workspace' || !manifest.workspaceId) {
    throw new TransferRefusedError('wrong-kind', `${dir} holds an export of the package ${manifest.packageName}, not of a workspace: load it with ydtb db restore ${dir}.`);
  }
  const workspaceId = manifest.workspaceId;
  await verifyChecksums(dir, manifest);
  const packages = packagesInOrder(registry);
  requireSameVersions(manifest, packages);
  await requireMigrated(client, packages);
  const tables = new Map(tablesInDependencyOrder(packages, registry.core, config).filter((t) => t.scope !== 'global').map((t) => [t.name, t]));
  return withMigrationLock(client, waitingForLock, () =>
    rolledBackWhen(dryRun, client, async (tx) => {
      await useExactTextForms(tx);
      const [exists] = await tx.query(`SELECT 1 FROM ${quoteIdent(config.tenantTable)} WHERE ${quoteIdent(config.tenantKey)} = $1`, [workspaceId]);
      if (exists) {
        throw new TransferRefusedError('workspace-exists', `Workspace "${workspaceId}" already exists here; nothing was written. Erase it first (ydtb workspace erase ${workspaceId} --yes) or import into another database.`);
      }
      const live = await readLiveColumns(tx, manifest.tables.map((t) => t.table));
      const columns = matchColumns(manifest, tables, live);
      const imported: ImportedTable[] = [];
      let asApplication = false;
      for (const entry of manifest.tables) {
        const table = tables.get(entry.table)!;
        if (table.core && asApplication) await leaveApplicationRole(tx);
        if (!table.core && !asApplication) await enterWorkspace(tx, workspaceId);
        asApplication = !table.core;
        const started = performance.now();
        const done = await insertAs(tx, join(dir, entry.file), targetOf(table, columns.get(entry.table)!, workspaceId));
        imported.push({ table: entry.table, packageName: entry.packageName, rows: done.inserted, kept: done.kept });
        onTable?.({ table: entry.table, packageName: entry.packageName, rows: done.inserted, kept: done.kept, durationMs: performance.now() - started });
      }
      if (asApplication) await leaveApplicationRole(tx);
      for (const entry of manifest.tables) await advanceSequences(tx, entry.table, columns.get(entry.table)!);
      return { workspaceId, tables: imported, dryRun };
    }),
  );
}

function targetOf(table: TransferTable, columns: RowTarget['columns'], workspaceId: string): RowTarget {
  if (table.scope === 'shared') return { table: table.name, columns, skipExistingKey: table.shape.primaryKey?.columns ?? [] };
  return { table: table.name, columns, requireValue: { column: table.workspaceColumn!, value: workspaceId } };
}

/** Inserts a file; a row the workspace policy refuses is reported as a row of another workspace. */
async function insertAs(tx: SqlClient, path: string, target: RowTarget) {
  try {
    return await insertRowFile(tx, path, target);
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      throw new TransferRefusedError('foreign-row', `${target.table}: row-level security refused a row of the file as not of workspace ${target.requireValue?.value}; nothing was written.`);
    }
    throw error;
  }
}
