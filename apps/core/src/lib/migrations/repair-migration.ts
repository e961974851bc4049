import type { DatabaseRegistry } from '../registry/database.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { withMigrationLock } from './advisory-lock.ts';
import { ensureHistoryTable, HISTORY_TABLE, readHistory } from './history.ts';
import { packagesInOrder } from './migrate-database.ts';
import { planMigrations } from './migration-plan.ts';
import { RepairRefusedError } from './repair-refused-error.ts';
import { ensureRepairsTable, recordRepair } from './repairs.ts';

export interface RepairRequest {
  readonly packageName: string;
  readonly migrationId: string;
  readonly reason: string;
  readonly dryRun?: boolean;
  readonly waitingForLock?: () => void;
}

export interface RepairResult {
  readonly packageName: string;
  readonly migrationId: string;
  readonly action: 'checksum';
  readonly oldChecksum: string;
  readonly newChecksum: string;
  readonly dryRun: boolean;
}

/**
 * Records the shipped checksum of an applied migration that was edited afterwards, once the
 * operator has confirmed the database matches it. Under the migration lock, in one transaction
 * with its audit row (old and new checksum, reason, role, time). Refuses (RepairRefusedError)
 * without a reason, or when there is nothing to repair.
 */
export async function repairMigration(client: SqlClient, registry: DatabaseRegistry, request: RepairRequest): Promise<RepairResult> {
  const { packageName, migrationId, dryRun = false } = request;
  const reason = request.reason.trim();
  if (!reason) throw new RepairRefusedError(packageName, migrationId, 'no-reason');
  const pkg = packagesInOrder(registry).find((p) => p.registration.packageName === packageName);
  if (!pkg) throw new RepairRefusedError(packageName, migrationId, 'unknown-package');
  return withMigrationLock(client, () => request.waitingForLock?.(), async () => {
    const plan = planMigrations([pkg], await readHistory(client));
    const [pkgPlan] = plan.packages;
    const shipped = pkgPlan!.pending.some((m) => m.id === migrationId) || pkgPlan!.applied.includes(migrationId);
    if (!shipped) throw new RepairRefusedError(packageName, migrationId, 'not-shipped');
    if (!pkgPlan!.applied.includes(migrationId)) throw new RepairRefusedError(packageName, migrationId, 'not-applied');
    const mismatch = plan.mismatches.find((m) => m.migrationId === migrationId);
    if (!mismatch) throw new RepairRefusedError(packageName, migrationId, 'checksum-matches');
    const result = { packageName, migrationId, action: 'checksum' as const, oldChecksum: mismatch.recorded, newChecksum: mismatch.shipped, dryRun };
    if (dryRun) return result;
    await ensureHistoryTable(client);
    await ensureRepairsTable(client);
    await client.transaction(async (tx) => {
      await tx.query(`UPDATE ${HISTORY_TABLE} SET checksum = $3 WHERE package_name = $1 AND migration_id = $2`, [packageName, migrationId, mismatch.shipped]);
      await recordRepair(tx, { packageName, migrationId, action: 'checksum', oldChecksum: mismatch.recorded, newChecksum: mismatch.shipped, reason });
    });
    return result;
  });
}
