import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { withMigrationLock } from '../migrations/advisory-lock.ts';
import { readCatalog } from '../migrations/catalog.ts';
import { packagesInOrder } from '../migrations/migrate-database.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { requireWorkspace } from './export-workspace.ts';
import { requireMigrated } from './transfer-checks.ts';
import { enterWorkspace, leaveApplicationRole, liftRowSecurity } from './transfer-session.ts';
import { tablesInDependencyOrder, type TransferTable } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';
import { recordErasure } from './workspace-erasures.ts';

export interface ErasedTable {
  readonly table: string;
  readonly packageName: string;
  /** Rows deleted (on a dry run: rows that would be). */
  readonly rows: number;
}

export interface WorkspaceEraseOptions {
  readonly workspaceId: string;
  /** Count what would be deleted, change nothing. */
  readonly dryRun?: boolean;
  readonly onTable?: (erased: ErasedTable) => void;
  readonly waitingForLock?: () => void;
}

export interface WorkspaceEraseResult {
  readonly workspaceId: string;
  readonly dryRun: boolean;
  /** Package tables in the order they were emptied (reverse dependency order), then core's. */
  readonly tables: readonly ErasedTable[];
  /** Tables proved to hold no row of the workspace afterwards (none on a dry run). */
  readonly proved: readonly string[];
  /** The audit row's id in ydtb_workspace_erasures (absent on a dry run). */
  readonly erasureId?: number;
}

/**
 * Deletes every row of a workspace, in one transaction under the migration lock: each package
 * table's rows as the application role with the workspace set (row-level security keeps every
 * other workspace's rows out of reach), children before parents, then its memberships and the
 * workspace itself as the migrating role. Before committing it proves, as the migrating role and
 * not through row-level security, that no table with a workspace column (registered or not) holds
 * a row of it, and records an audit row. Users are the platform's (they may belong to other
 * workspaces) and are kept.
 */
export async function eraseWorkspace(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { workspaceId, dryRun = false, onTable, waitingForLock = () => undefined }: WorkspaceEraseOptions,
): Promise<WorkspaceEraseResult> {
  const packages = packagesInOrder(registry);
  await requireMigrated(client, packages);
  const ordered = tablesInDependencyOrder(packages, registry.core, config).filter((t) => t.scope === 'workspace' || t.scope === 'tenant');
  const packageTables = ordered.filter((t) => !t.core).reverse();
  const coreTables = ordered.filter((t) => t.core).reverse();
  const rollback = new Error('dry run');
  let result: WorkspaceEraseResult | undefined;
  try {
    await withMigrationLock(client, waitingForLock, () =>
      client.transaction(async (tx) => {
        await requireWorkspace(tx, config, workspaceId);
        const tables: ErasedTable[] = [];
        const erase = async (table: TransferTable) => {
          const statement = dryRun
            ? `SELECT count(*)::int AS n FROM ${quoteIdent(table.name)} WHERE ${quoteIdent(table.workspaceColumn!)} = $1`
            : `WITH d AS (DELETE FROM ${quoteIdent(table.name)} WHERE ${quoteIdent(table.workspaceColumn!)} = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`;
          const [row] = await tx.query<{ n: number }>(statement, [workspaceId]);
          const erased = { table: table.name, packageName: table.packageName, rows: Number(row?.n ?? 0) };
          tables.push(erased);
          onTable?.(erased);
        };
        await enterWorkspace(tx, workspaceId);
        for (const table of packageTables) await erase(table);
        await leaveApplicationRole(tx);
        for (const table of coreTables) await erase(table);
        if (dryRun) {
          result = { workspaceId, dryRun, tables, proved: [] };
          throw rollback;
        }
        const proved = await proveErased(tx, config, ordered, workspaceId);
        const erasureId = await recordErasure(tx, workspaceId, Object.fromEntries(tables.map((t) => [t.table, t.rows])));
        result = { workspaceId, dryRun, tables, proved, erasureId };
      }),
    );
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return result!;
}

/**
 * Counts the workspace's rows in every table that has a workspace column, registered or not (any
 * table with a foreign key to the workspaces table), as the migrating role with row-level security
 * lifted: a policy cannot hide a row from this count. Any row refuses the erase (rolled back).
 */
async function proveErased(tx: SqlClient, config: DatabaseRegistryConfig, registered: readonly TransferTable[], workspaceId: string): Promise<string[]> {
  const columns = new Map(registered.map((t) => [t.name, t.workspaceColumn!]));
  for (const fk of (await readCatalog(tx)).foreignKeys) {
    if (fk.foreignTable === config.tenantTable && fk.foreignColumn === config.tenantKey && !columns.has(fk.table)) columns.set(fk.table, fk.column);
  }
  const restore = await liftRowSecurity(tx, [...columns.keys()]);
  const remaining: string[] = [];
  for (const [table, column] of columns) {
    const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} = $1`, [workspaceId]);
    if (Number(row?.n ?? 0) > 0) remaining.push(`${table}: ${row!.n} row(s)`);
  }
  await restore();
  if (remaining.length > 0) {
    throw new TransferRefusedError('rows-remain', `Rows of workspace "${workspaceId}" remain after deleting; the erase was rolled back and nothing was changed:`, remaining);
  }
  return [...columns.keys()];
}
