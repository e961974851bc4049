import type { MigrationDefinition, RegisteredPackage } from '../../types/database-registry.ts';
import { checksumOf } from './checksum.ts';
import type { HistoryRow } from './history.ts';

export interface PlannedMigration {
  readonly id: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface PackagePlan {
  readonly packageName: string;
  readonly version: string;
  readonly applied: readonly string[];
  /** Shipped but not in the history, in id order: a migration added "in the past" is here too. */
  readonly pending: readonly PlannedMigration[];
  /** In the history but no longer shipped by the package. */
  readonly unknown: readonly string[];
}

/** An applied migration whose shipped SQL no longer matches what ran. */
export interface ChecksumMismatch {
  readonly packageName: string;
  readonly migrationId: string;
  readonly recorded: string;
  readonly shipped: string;
}

/** History rows of a package that is not installed: its tables stay, nothing migrates them. */
export interface UninstalledPackage {
  readonly packageName: string;
  readonly migrationIds: readonly string[];
}

export interface MigrationPlan {
  readonly packages: readonly PackagePlan[];
  readonly mismatches: readonly ChecksumMismatch[];
  readonly uninstalled: readonly UninstalledPackage[];
}

/** Compares what packages ship with what the history says ran: pending is the set difference per package. */
export function planMigrations(ordered: readonly RegisteredPackage[], history: readonly HistoryRow[]): MigrationPlan {
  const mismatches: ChecksumMismatch[] = [];
  const packages = ordered.map(({ registration }): PackagePlan => {
    const { packageName, version } = registration;
    const recorded = new Map(history.filter((row) => row.packageName === packageName).map((row) => [row.migrationId, row]));
    const shipped = [...(registration.migrations ?? [])].map(toPlanned).sort((a, b) => compareIds(a.id, b.id));
    for (const migration of shipped) {
      const row = recorded.get(migration.id);
      if (row && row.checksum !== migration.checksum) {
        mismatches.push({ packageName, migrationId: migration.id, recorded: row.checksum, shipped: migration.checksum });
      }
    }
    const shippedIds = new Set(shipped.map((m) => m.id));
    return {
      packageName,
      version,
      applied: shipped.filter((m) => recorded.has(m.id)).map((m) => m.id),
      pending: shipped.filter((m) => !recorded.has(m.id)),
      unknown: [...recorded.keys()].filter((id) => !shippedIds.has(id)),
    };
  });
  const installed = new Set(ordered.map((p) => p.registration.packageName));
  const uninstalled = new Map<string, string[]>();
  for (const row of history) {
    if (!installed.has(row.packageName)) uninstalled.set(row.packageName, [...(uninstalled.get(row.packageName) ?? []), row.migrationId]);
  }
  return {
    packages,
    mismatches,
    uninstalled: [...uninstalled].map(([packageName, ids]) => ({ packageName, migrationIds: ids.sort(compareIds) })),
  };
}

/** Applied migrations their installed package does not ship (deleted, renamed or forged history rows). */
export function unknownMigrations(plan: MigrationPlan): { packageName: string; migrationId: string }[] {
  return plan.packages.flatMap((p) => p.unknown.map((migrationId) => ({ packageName: p.packageName, migrationId })));
}

export function pendingCount(plan: MigrationPlan): number {
  return plan.packages.reduce((sum, p) => sum + p.pending.length, 0);
}

function toPlanned(migration: MigrationDefinition): PlannedMigration {
  const sql = 'sql' in migration ? migration.sql : migration.up;
  return { id: migration.id, sql, checksum: checksumOf(sql) };
}

/** Plain code-point order, so the order never depends on the machine's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
