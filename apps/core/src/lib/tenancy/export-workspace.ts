import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { WORKSPACE_SETTING } from '../isolation/isolation-settings.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { packagesInOrder } from '../migrations/migrate-database.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { MANIFEST_FORMAT, requireEmptyFolder, tableFileName, writeManifest, type ExportManifest, type ManifestTable } from './export-manifest.ts';
import { writeRowFile } from './row-files.ts';
import { exportedColumns, requireMigrated } from './transfer-checks.ts';
import { enterWorkspace, useExactTextForms } from './transfer-session.ts';
import { readLiveColumns, rowOrder, tablesInDependencyOrder, type TransferTable } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

/** One table done, for a progress line. */
export interface TableProgress {
  readonly table: string;
  readonly packageName: string;
  readonly rows: number;
  readonly durationMs: number;
}

export interface WorkspaceExportOptions {
  readonly workspaceId: string;
  /** A new or empty folder. */
  readonly outDir: string;
  readonly onTable?: (progress: TableProgress) => void;
}

/**
 * Writes every row of one workspace to `outDir`: its core rows (the workspace, its memberships,
 * the users they and its rows reference), read as the migrating role, then every package table's
 * rows, read as the application role with the workspace set, so row-level security itself keeps
 * every other workspace's rows out. One consistent snapshot (a REPEATABLE READ transaction), one
 * JSON Lines file a table in dependency order, and `manifest.json` with the package versions,
 * row counts and sha256 of each file.
 */
export async function exportWorkspace(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { workspaceId, outDir, onTable }: WorkspaceExportOptions,
): Promise<ExportManifest> {
  const packages = packagesInOrder(registry);
  await requireMigrated(client, packages);
  const tables = tablesInDependencyOrder(packages, registry.core, config).filter((t) => t.scope !== 'global');
  requireEmptyFolder(outDir);
  const entries: ManifestTable[] = [];
  const files: string[] = [];
  try {
    await client.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await useExactTextForms(tx);
      await requireWorkspace(tx, config, workspaceId);
      const live = await readLiveColumns(tx, tables.map((t) => t.name));
      await mkdir(outDir, { recursive: true });
      // Core tables carry no policy and are not the application role's: read as the migrator, by
      // workspace. The setting lets it read the workspace's package rows too (users they reference).
      await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, workspaceId]);
      let asApplication = false;
      for (const table of tables) {
        if (!table.core && !asApplication) {
          await enterWorkspace(tx, workspaceId);
          asApplication = true;
        }
        const started = performance.now();
        const columns = exportedColumns(live.get(table.name) ?? []).map((c) => c.name);
        const file = tableFileName(entries.length, table.name);
        files.push(join(outDir, file));
        const written = await writeRowFile(
          tx,
          { table: table.name, columns, ...rowOrder(table, columns), ...workspaceFilter(table, tables, workspaceId) },
          join(outDir, file),
        );
        entries.push({ file, table: table.name, packageName: table.packageName, columns, ...written });
        onTable?.({ table: table.name, packageName: table.packageName, rows: written.rows, durationMs: performance.now() - started });
      }
    });
  } catch (error) {
    // Leave no half export behind, so the same folder can be named again.
    for (const file of files) await rm(file, { force: true });
    throw error;
  }
  const manifest: ExportManifest = {
    format: MANIFEST_FORMAT,
    kind: 'workspace',
    workspaceId,
    exportedAt: new Date().toISOString(),
    packages: packages.map((p) => ({ name: p.registration.packageName, version: p.registration.version })),
    tables: entries,
  };
  await writeManifest(resolve(outDir), manifest);
  return manifest;
}

export async function requireWorkspace(tx: SqlClient, config: DatabaseRegistryConfig, workspaceId: string): Promise<void> {
  const [found] = await tx.query(`SELECT 1 FROM ${quoteIdent(config.tenantTable)} WHERE ${quoteIdent(config.tenantKey)} = $1`, [workspaceId]);
  if (!found) throw new TransferRefusedError('unknown-workspace', `Workspace "${workspaceId}" does not exist; nothing was written.`);
}

/**
 * Which rows of a table are the workspace's: the workspace itself, rows of its workspace column,
 * or (a shared core table, users) the rows the workspace's rows reference through a foreign key.
 */
export function workspaceFilter(table: TransferTable, all: readonly TransferTable[], workspaceId: string): { where: string; params: unknown[] } {
  if (table.scope === 'tenant' || table.scope === 'workspace') return { where: `WHERE x.${quoteIdent(table.workspaceColumn!)} = $1`, params: [workspaceId] };
  const references = all.flatMap((from) =>
    from.scope !== 'workspace'
      ? []
      : from.shape.foreignKeys
          .filter((fk) => fk.foreignTable === table.name)
          .map((fk) => {
            const mine = fk.foreignColumns.map((c) => `x.${quoteIdent(c)}`).join(', ');
            const theirs = fk.columns.map((c) => `y.${quoteIdent(c)}`).join(', ');
            return `(${mine}) IN (SELECT ${theirs} FROM ${quoteIdent(from.name)} y WHERE y.${quoteIdent(from.workspaceColumn!)} = $1)`;
          }),
  );
  return { where: `WHERE ${references.length ? references.join(' OR ') : 'false'}`, params: references.length ? [workspaceId] : [] };
}
