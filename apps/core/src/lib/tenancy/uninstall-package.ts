import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { packageRole } from '../package-roles/package-role.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { withMigrationLock } from '../migrations/advisory-lock.ts';
import { ensureHistoryTable, readHistory, recordUninstalled } from '../migrations/history.ts';
import { packagesInOrder } from '../migrations/migrate-database.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, requireEmptyFolder, tableFileName, writeManifest, type ExportManifest, type ManifestTable } from './export-manifest.ts';
import type { TableProgress } from './export-workspace.ts';
import { dependentsWithTables } from '../migrations/dependents-with-tables.ts';
import { writeRowFile } from './row-files.ts';
import { exportedColumns, requireMigrated } from './transfer-checks.ts';
import { liftRowSecurity, useExactTextForms } from './transfer-session.ts';
import { readLiveColumns, rowOrder, tablesInDependencyOrder } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

export interface UninstallOptions {
  readonly packageName: string;
  /** A new or empty folder for every row of the package's tables; required unless `dryRun`. */
  readonly exportDir?: string;
  /** Count and list what would be exported and dropped, change nothing. */
  readonly dryRun?: boolean;
  readonly onTable?: (progress: TableProgress) => void;
  readonly waitingForLock?: () => void;
}

export interface UninstallResult {
  readonly packageName: string;
  readonly version: string;
  readonly dryRun: boolean;
  /** Every table of the package with its rows (exported, or on a dry run to be exported). */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  readonly dropped: { readonly views: readonly string[]; readonly tables: readonly string[]; readonly types: readonly string[]; readonly sequences: readonly string[]; readonly functions: readonly string[] };
  /** Its migrations in effect, now marked `uninstalled` in the history (on a dry run: to be marked). */
  readonly migrations: readonly string[];
  readonly manifest?: ExportManifest;
}

/**
 * Removes an installed package from the database: refused while another installed package depends
 * on it (named); otherwise, in one transaction under the migration lock, with its tables locked,
 * every row of every table (all workspaces, read as the migrating role not through row-level
 * security) is exported as `exportWorkspace` writes them, then its views, tables, enum types,
 * sequences and declared SECURITY DEFINER functions are dropped and its history rows marked
 * `uninstalled`, and whatever else its role owns here is dropped too. With the package then removed from the config the database is clean; with it
 * listed again `migrateDatabase` recreates its tables and `restorePackage` loads the rows back.
 */
export async function uninstallPackage(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { packageName, exportDir, dryRun = false, onTable, waitingForLock = () => undefined }: UninstallOptions,
): Promise<UninstallResult> {
  const pkg = registeredPackage(registry, packageName);
  if (!dryRun && exportDir === undefined) throw new TypeError('uninstallPackage needs exportDir unless dryRun: every row is exported before the tables are dropped.');
  const history = await readHistory(client);
  const inEffect = history.filter((row) => row.packageName === packageName);
  if (inEffect.length === 0) {
    throw new TransferRefusedError('not-installed', `${packageName} is not installed in this database (no migration of it is in effect); nothing to uninstall.`);
  }
  const dependents = (await dependentsWithTables(client, registry, packageName)).map((d) => d.packageName);
  if (dependents.length > 0) {
    throw new TransferRefusedError(
      'dependents',
      `Cannot uninstall ${packageName}: ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it and ${dependents.length === 1 ? 'has tables' : 'have tables'} in this database. Uninstall ${dependents.join(', ')} first; nothing was changed.`,
    );
  }
  await requireMigrated(client, [pkg]);
  if (exportDir !== undefined && !dryRun) requireEmptyFolder(exportDir);
  const tables = tablesInDependencyOrder([pkg], registry.core, config);
  const names = tables.map((t) => t.name);
  const dropped = {
    views: pkg.views.map((v) => v.name),
    tables: [...names].reverse(),
    types: pkg.objects.filter((o) => o.kind === 'enum').map((o) => o.name),
    sequences: pkg.objects.filter((o) => o.kind === 'sequence').map((o) => o.name),
    functions: Object.keys(pkg.registration.securityDefinerFunctions ?? {}),
  };
  const migrations = inEffect.map((row) => row.migrationId);
  const written: string[] = [];
  const rollback = new Error('dry run');
  let result: UninstallResult | undefined;
  try {
    await withMigrationLock(client, waitingForLock, () =>
      client.transaction(async (tx) => {
        await useExactTextForms(tx);
        // No workspace writes to these tables until the transaction ends (they are dropped in it).
        if (names.length) await tx.exec(`LOCK TABLE ${names.map(quoteIdent).join(', ')} IN ACCESS EXCLUSIVE MODE`);
        await liftRowSecurity(tx, names);
        const live = await readLiveColumns(tx, names);
        if (dryRun) {
          const counted = [];
          for (const name of names) {
            const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(name)}`);
            counted.push({ table: name, rows: Number(row?.n ?? 0) });
          }
          result = { packageName, version: pkg.registration.version, dryRun, tables: counted, dropped, migrations };
          throw rollback;
        }
        await mkdir(exportDir!, { recursive: true });
        const entries: ManifestTable[] = [];
        for (const table of tables) {
          const started = performance.now();
          const columns = exportedColumns(live.get(table.name) ?? []).map((c) => c.name);
          const file = tableFileName(entries.length, table.name);
          written.push(join(exportDir!, file));
          const done = await writeRowFile(tx, { table: table.name, columns, where: '', params: [], ...rowOrder(table, columns) }, join(exportDir!, file));
          entries.push({ file, table: table.name, packageName, columns, ...done });
          onTable?.({ table: table.name, packageName, rows: done.rows, durationMs: performance.now() - started });
        }
        for (const view of dropped.views) await tx.exec(`DROP VIEW IF EXISTS ${quoteIdent(view)}`);
        for (const table of dropped.tables) await tx.exec(`DROP TABLE ${quoteIdent(table)}`);
        for (const type of dropped.types) await tx.exec(`DROP TYPE IF EXISTS ${quoteIdent(type)}`);
        for (const sequence of dropped.sequences) await tx.exec(`DROP SEQUENCE IF EXISTS ${quoteIdent(sequence)}`);
        for (const fn of dropped.functions) await tx.exec(`DROP FUNCTION IF EXISTS ${quoteIdent(fn)}`);
        // What its migrations made and it never declared (a trigger function, a type): its role owns
        // it, so it goes too, with the role's rights in this database (migrate grants them again).
        const role = packageRole(packageName).replace(/'/g, "''");
        await tx.exec(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN EXECUTE format('DROP OWNED BY %I', '${role}'); END IF; END $$`);
        await markUninstalled(tx, packageName);
        const manifest: ExportManifest = {
          format: MANIFEST_FORMAT,
          kind: 'package',
          packageName,
          exportedAt: new Date().toISOString(),
          packages: packagesOf(registry, pkg).map((p) => ({ name: p.registration.packageName, version: p.registration.version })),
          tables: entries,
        };
        written.push(join(exportDir!, MANIFEST_FILE));
        await writeManifest(exportDir!, manifest);
        result = { packageName, version: pkg.registration.version, dryRun, tables: entries.map((e) => ({ table: e.table, rows: e.rows })), dropped, migrations, manifest };
      }),
    );
  } catch (error) {
    if (error === rollback) return result!;
    // Nothing was dropped: leave no half export behind, so the same folder can be named again.
    for (const file of written) await rm(file, { force: true });
    throw error;
  }
  return result!;
}

/** The package as registered; core and a package not in the config cannot be uninstalled. */
export function registeredPackage(registry: DatabaseRegistry, packageName: string): RegisteredPackage {
  if (packageName === registry.core.registration.packageName) {
    throw new TransferRefusedError('core-package', `${packageName} is the platform itself and cannot be uninstalled.`);
  }
  const pkg = registry.get(packageName);
  if (!pkg) {
    const known = registry.list().map((p) => p.registration.packageName).join(', ') || 'none';
    throw new TransferRefusedError(
      'unknown-package',
      `Package "${packageName}" is not registered: list its module in ydtb.config.ts (the registry knows a package's tables from its schema). Registered packages: ${known}.`,
    );
  }
  return pkg;
}

/** The package, core and the packages it depends on: the versions its rows were written under. */
function packagesOf(registry: DatabaseRegistry, pkg: RegisteredPackage): RegisteredPackage[] {
  const dependencies = new Set(pkg.registration.dependencies ?? []);
  return packagesInOrder(registry).filter((p) => p === pkg || p === registry.core || dependencies.has(p.registration.packageName));
}

/** Its migrations stay in the history, no longer in effect: a later migrate applies them again. */
async function markUninstalled(tx: SqlClient, packageName: string): Promise<void> {
  await ensureHistoryTable(tx);
  await recordUninstalled(tx, packageName);
}
