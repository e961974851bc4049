import type { SqlClient } from '../database/sql-client';
import { securePackage } from '../isolation/package-security';
import { PREPARE_APP_ROLE } from '../isolation/policy-sql';
import type { SecurityModel } from '../isolation/security-model';
import type { SecurityState } from '../isolation/security-state';
import { knownSideDoors, refuseNewSideDoors, type SideDoors } from './side-doors';
import { recordApplied } from './history';
import { databaseErrorDetails, MigrationFailedError } from './migration-failed-error';
import type { MigrationPlan, PackagePlan } from './migration-plan';

export interface AppliedPackage {
  readonly packageName: string;
  readonly migrationIds: readonly string[];
  /** Tables whose row-level security was (re)applied. */
  readonly securedTables: readonly string[];
  readonly durationMs: number;
}

export interface MigratorEvents {
  packageStarted?(plan: PackagePlan): void;
  /** One migration's SQL ran inside its package's transaction (committed with the package). */
  migrationRan?(packageName: string, migrationId: string, durationMs: number): void;
  packageApplied?(applied: AppliedPackage): void;
}

/**
 * Applies each package's pending migrations, and then the security of its objects (forced
 * row-level security, the application role's grants), in one transaction together with their
 * history rows. A failure rolls that package back and stops the run with MigrationFailedError.
 * `state` is the security read before the run: the package tables whose row-level security must
 * be restored even when no migration of their package is pending, and the side doors that were
 * there already (a migration may not add one).
 */
export async function applyPlan(
  client: SqlClient,
  plan: MigrationPlan,
  model: SecurityModel,
  state: SecurityState,
  events: MigratorEvents = {},
): Promise<AppliedPackage[]> {
  const applied: AppliedPackage[] = [];
  const known = knownSideDoors(state);
  let rolePrepared = false;
  for (const pkg of plan.packages) {
    const brokenOfPackage = new Map([...state.policies].filter(([table]) => model.tenantTables.get(table)?.packageName === pkg.packageName));
    if (pkg.pending.length === 0 && brokenOfPackage.size === 0) continue;
    events.packageStarted?.(pkg);
    const started = performance.now();
    // Once a run, not once a package: grants need the role, and creating it is idempotent.
    if (!rolePrepared) await client.exec(PREPARE_APP_ROLE);
    rolePrepared = true;
    const securedTables = await client.transaction(async (tx) => {
      if (pkg.pending.length) await applyPackage(tx, pkg, model, known, events);
      try {
        return await securePackage(tx, model, { packageName: pkg.packageName, migrated: pkg.pending.length > 0, broken: brokenOfPackage });
      } catch (error) {
        throw new MigrationFailedError(pkg.packageName, 'row-level security', databaseErrorDetails(error));
      }
    });
    const done = {
      packageName: pkg.packageName,
      migrationIds: pkg.pending.map((m) => m.id),
      securedTables,
      durationMs: performance.now() - started,
    };
    applied.push(done);
    events.packageApplied?.(done);
  }
  return applied;
}

async function applyPackage(tx: SqlClient, pkg: PackagePlan, model: SecurityModel, known: SideDoors, events: MigratorEvents): Promise<void> {
  for (const migration of pkg.pending) {
    const started = performance.now();
    try {
      await tx.exec(migration.sql);
    } catch (error) {
      throw new MigrationFailedError(pkg.packageName, migration.id, databaseErrorDetails(error));
    }
    const durationMs = performance.now() - started;
    await recordApplied(tx, {
      packageName: pkg.packageName,
      migrationId: migration.id,
      packageVersion: pkg.version,
      checksum: migration.checksum,
      durationMs: Math.round(durationMs),
    });
    events.migrationRan?.(pkg.packageName, migration.id, durationMs);
  }
  await refuseNewSideDoors(tx, pkg, model, known);
}
