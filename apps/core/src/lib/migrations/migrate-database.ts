import type { DatabaseRegistryConfig } from '../../types/database-registry';
import type { DatabaseRegistry } from '../registry/database';
import type { SqlClient } from '../database/sql-client';
import { withMigrationLock } from './advisory-lock';
import { readCatalog } from './catalog';
import { ChecksumMismatchError } from './checksum-mismatch-error';
import { findDrift, isolationDrift, type Drift } from './drift';
import { policyProblems, type PolicyProblem, type TableToSecure } from '../isolation/policy-state';
import { tablesToSecure } from '../isolation/tables-to-secure';
import { ensureHistoryTable, readHistory } from './history';
import { lintMigrations } from './migration-lint';
import { MigrationLintError } from './migration-lint-error';
import { planMigrations, unknownMigrations, type MigrationPlan } from './migration-plan';
import { UnknownMigrationsError } from './unknown-migrations-error';
import { applyPlan, type AppliedPackage, type MigratorEvents } from './migrator';
import { orderPackages } from './package-order';

export interface MigrateReporter extends MigratorEvents {
  waitingForLock?(): void;
}

export interface MigrateOptions {
  readonly dryRun?: boolean;
  readonly reporter?: MigrateReporter;
}

export interface MigrateResult {
  readonly plan: MigrationPlan;
  readonly applied: readonly AppliedPackage[];
  /** Empty on a dry run: nothing was changed, so nothing was verified. */
  readonly drift: readonly Drift[];
  readonly dryRun: boolean;
}

/** Core first, then the packages in dependency order. Throws DependencyError on a cycle or a missing package. */
export function packagesInOrder(registry: DatabaseRegistry) {
  return [registry.core, ...orderPackages(registry.list(), registry.core.registration.packageName)];
}

/** Reads the history and works out what would run, without changing anything. */
export async function planDatabase(client: SqlClient, registry: DatabaseRegistry): Promise<MigrationPlan> {
  return planMigrations(packagesInOrder(registry), await readHistory(client));
}

/**
 * Brings the database to the state every registered package needs: under the migration lock,
 * refuse edited migrations, apply what is pending package by package, then verify the live
 * catalog against the registry.
 */
export async function migrateDatabase(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { dryRun = false, reporter = {} }: MigrateOptions = {},
): Promise<MigrateResult> {
  const ordered = packagesInOrder(registry);
  // Refuse before the lock is taken: a refused run leaves no trace in the database.
  await refuseUnsafeMigrations(planMigrations(ordered, await readHistory(client)));
  return withMigrationLock(client, () => reporter.waitingForLock?.(), async () => {
    if (!dryRun) await ensureHistoryTable(client);
    const plan = planMigrations(ordered, await readHistory(client));
    if (plan.mismatches.length > 0) throw new ChecksumMismatchError(plan.mismatches);
    const unknown = unknownMigrations(plan);
    if (unknown.length > 0) throw new UnknownMigrationsError(unknown);
    // Another migrator may have changed the history meanwhile: check what will really run.
    await refuseUnsafeMigrations(plan);
    if (dryRun) return { plan, applied: [], drift: [], dryRun };
    const unsecured = await unsecuredTables(client, registry, config);
    const applied = await applyPlan(client, plan, unsecured, reporter);
    // When nothing changed, the security just read is still current: no need to read it again.
    const drift = await driftOf(client, registry, config, applied.length === 0 ? unsecured : undefined);
    return { plan, applied, drift, dryRun };
  });
}

/** Throws MigrationLintError when a pending migration controls the transaction or the role. */
async function refuseUnsafeMigrations(plan: MigrationPlan): Promise<void> {
  const findings = await lintMigrations(plan.packages.map((p) => ({ packageName: p.packageName, migrations: p.pending })));
  if (findings.length > 0) throw new MigrationLintError(findings);
}

/** Drift of the live database against the registry: catalog and row-level security. */
export async function driftOf(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  unsecured?: UnsecuredTables,
): Promise<Drift[]> {
  const drift = findDrift(await readCatalog(client), registry.core, registry.list(), config);
  for (const [packageName, tables] of unsecured ?? (await unsecuredTables(client, registry, config))) {
    for (const { table, problem } of tables) {
      // A missing table is already reported by the catalog check.
      if (problem !== 'missing-table') drift.push(isolationDrift(packageName, table, problem));
    }
  }
  return drift;
}

type UnsecuredTables = ReadonlyMap<string, readonly (TableToSecure & { readonly problem: PolicyProblem })[]>;

/** Package tables whose row-level security is not exactly as the pipeline sets it, by package. */
async function unsecuredTables(client: SqlClient, registry: DatabaseRegistry, config: DatabaseRegistryConfig): Promise<UnsecuredTables> {
  const byPackage = registry.list().map((pkg) => [pkg.registration.packageName, tablesToSecure(pkg, config)] as const);
  const problems = await policyProblems(client, byPackage.flatMap(([, tables]) => tables));
  const unsecured = new Map<string, (TableToSecure & { problem: PolicyProblem })[]>();
  for (const [packageName, tables] of byPackage) {
    const broken = tables.flatMap((t) => {
      const problem = problems.get(t.table);
      return problem ? [{ ...t, problem }] : [];
    });
    if (broken.length) unsecured.set(packageName, broken);
  }
  return unsecured;
}

