import type { SqlClient } from '../database/sql-client';
import { recordApplied } from './history';
import { databaseErrorDetails, MigrationFailedError } from './migration-failed-error';
import type { MigrationPlan, PackagePlan } from './migration-plan';

export interface AppliedPackage {
  readonly packageName: string;
  readonly migrationIds: readonly string[];
  readonly durationMs: number;
}

export interface MigratorEvents {
  packageStarted?(plan: PackagePlan): void;
  packageApplied?(applied: AppliedPackage): void;
}

/**
 * Applies each package's pending migrations in one transaction together with their history
 * rows. A failure rolls that package back and stops the run with MigrationFailedError.
 */
export async function applyPlan(client: SqlClient, plan: MigrationPlan, events: MigratorEvents = {}): Promise<AppliedPackage[]> {
  const applied: AppliedPackage[] = [];
  for (const pkg of plan.packages) {
    if (pkg.pending.length === 0) continue;
    events.packageStarted?.(pkg);
    const started = performance.now();
    await client.transaction((tx) => applyPackage(tx, pkg));
    const done = { packageName: pkg.packageName, migrationIds: pkg.pending.map((m) => m.id), durationMs: performance.now() - started };
    applied.push(done);
    events.packageApplied?.(done);
  }
  return applied;
}

async function applyPackage(tx: SqlClient, pkg: PackagePlan): Promise<void> {
  for (const migration of pkg.pending) {
    const started = performance.now();
    try {
      await tx.exec(migration.sql);
    } catch (error) {
      throw new MigrationFailedError(pkg.packageName, migration.id, databaseErrorDetails(error));
    }
    await recordApplied(tx, {
      packageName: pkg.packageName,
      migrationId: migration.id,
      packageVersion: pkg.version,
      checksum: migration.checksum,
      durationMs: Math.round(performance.now() - started),
    });
  }
}
