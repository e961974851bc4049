import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { withMigrationLock } from './advisory-lock.ts';
import { baselineDifferences } from './baseline-differences.ts';
import { BaselineRefusedError } from './baseline-refused-error.ts';
import { ensureHistoryTable, readHistory, recordBaselined } from './history.ts';
import { migrateDatabase, packagesInOrder, type MigrateResult } from './migrate-database.ts';
import { planMigrations } from './migration-plan.ts';
import { readLiveTables } from './live-tables.ts';
import type { SchemaSnapshot } from './schema-snapshot.ts';

export interface BaselineRequest {
  readonly packageName: string;
  /** The last migration the tables already reflect; by default the package's last migration. */
  readonly to?: string;
  /** The package's schema as of the target migration (its drizzle-kit snapshot). */
  readonly expected: (migrationId: string) => Promise<SchemaSnapshot> | SchemaSnapshot;
  readonly dryRun?: boolean;
  readonly waitingForLock?: () => void;
}

export interface BaselineResult {
  readonly packageName: string;
  readonly target: string;
  /** The migrations recorded as baselined (or that would be, on a dry run), in order. */
  readonly baselined: readonly string[];
  /** The migrate that followed: security applied and verified; absent on a dry run. */
  readonly migrate?: MigrateResult;
  readonly dryRun: boolean;
}

/**
 * Adopts tables that already exist (made by drizzle-kit push or by hand): under the migration
 * lock, checks the live catalog against the package schema as of the target migration, then
 * records every pending migration up to it as `baselined` in one transaction, running none of
 * their SQL. Then migrates as `ydtb db migrate` does, which applies the package's row-level
 * security and grants and verifies the database. Refuses (BaselineRefusedError, listing the
 * differences) when the catalog does not match; nothing is recorded then.
 */
export async function baselineDatabase(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  request: BaselineRequest,
): Promise<BaselineResult> {
  const { packageName, to, dryRun = false } = request;
  const pkg = packagesInOrder(registry).find((p) => p.registration.packageName === packageName);
  if (!pkg) throw new BaselineRefusedError(packageName, to, 'unknown-package');
  const baselined = await withMigrationLock(client, () => request.waitingForLock?.(), async () => {
    const [plan] = planMigrations([pkg], await readHistory(client)).packages;
    const shipped = [...plan!.applied, ...plan!.pending.map((m) => m.id)].sort();
    const target = to ?? shipped.at(-1);
    if (target === undefined) throw new BaselineRefusedError(packageName, to, 'no-migrations');
    if (!shipped.includes(target)) throw new BaselineRefusedError(packageName, target, 'unknown-migration');
    const pending = plan!.pending.filter((m) => m.id <= target);
    if (pending.length === 0) throw new BaselineRefusedError(packageName, target, 'already-applied');
    const expected = await request.expected(target);
    const live = await readLiveTables(client, Object.values(expected.tables).map((t) => t.name));
    const differences = baselineDifferences(expected, live);
    if (differences.length > 0) throw new BaselineRefusedError(packageName, target, 'catalog-differs', differences);
    if (!dryRun) {
      await ensureHistoryTable(client);
      await client.transaction(async (tx) => {
        for (const m of pending) {
          await recordBaselined(tx, { packageName, migrationId: m.id, packageVersion: plan!.version, checksum: m.checksum });
        }
      });
    }
    return { target, ids: pending.map((m) => m.id) };
  });
  if (dryRun) return { packageName, target: baselined.target, baselined: baselined.ids, dryRun };
  const migrate = await migrateDatabase(client, registry, config, { reporter: request.waitingForLock ? { waitingForLock: request.waitingForLock } : {} });
  return { packageName, target: baselined.target, baselined: baselined.ids, migrate, dryRun };
}
