import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { databaseInventory } from '../isolation/database-inventory.ts';
import { probeIsolation, type ProbeTarget } from '../isolation/isolation-probe.ts';
import { PREPARE_APP_ROLE } from '../isolation/policy-sql.ts';
import { securityModel, type SecurityModel } from '../isolation/security-model.ts';
import { securityRepairSql } from '../isolation/security-repair.ts';
import { readSecurityState, type SecurityState } from '../isolation/security-state.ts';
import { withMigrationLock } from './advisory-lock.ts';
import { readCatalog } from './catalog.ts';
import { ChecksumMismatchError } from './checksum-mismatch-error.ts';
import { findDrift, type Drift } from './drift.ts';
import { ensureHistoryTable, readHistory } from './history.ts';
import { clearTickets } from './history-ticket.ts';
import { packageRoles } from '../package-roles/package-roles.ts';
import { databaseErrorDetails } from './migration-failed-error.ts';
import { lintPending } from './migration-lint.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { planMigrations, unknownMigrations, type MigrationPlan } from './migration-plan.ts';
import { UnknownMigrationsError } from './unknown-migrations-error.ts';
import { applyPlan, type AppliedPackage, type MigratorEvents } from './migrator.ts';
import { orderPackages } from './package-order.ts';
import { probeDrift, securityDrift } from './security-drift.ts';
import { expectedState } from './expected-state.ts';
import { ensureSchemaEpoch, readVerificationMark, recordVerification, schemaEpochDrift } from './schema-epoch.ts';
import { unchangedSinceVerification, type Shortcut } from './unchanged-since-verification.ts';

export interface MigrateReporter extends MigratorEvents {
  waitingForLock?(): void;
}

export interface MigrateOptions {
  readonly dryRun?: boolean;
  /** Verify the whole catalog even when nothing changed since the last clean verification. */
  readonly verify?: boolean;
  readonly reporter?: MigrateReporter;
}

export interface MigrateResult {
  readonly plan: MigrationPlan;
  readonly applied: readonly AppliedPackage[];
  /** Security drift found before this run and put right by it (grants, the role, functions, views). */
  readonly restored: readonly Drift[];
  /** Empty on a dry run: nothing was changed, so nothing was verified. */
  readonly drift: readonly Drift[];
  /** Whether the isolation probe ran (it does after every run that changed something). */
  readonly probed: boolean;
  readonly dryRun: boolean;
  /**
   * `full`: the live catalog was verified. Otherwise nothing was pending and nothing changed since
   * the last clean full verification, as the schema epoch or the catalog fingerprint told.
   */
  readonly verification: 'full' | Shortcut;
}

/** Core first, then the packages in dependency order. Throws DependencyError on a cycle or a missing package. */
export function packagesInOrder(registry: DatabaseRegistry) {
  return [registry.core, ...orderPackages(registry.list(), registry.core.registration.packageName)];
}

/** Reads the history and works out what would run, without changing anything. */
export async function planDatabase(client: SqlClient, registry: DatabaseRegistry): Promise<MigrationPlan> {
  return planMigrations(packagesInOrder(registry), await readHistory(client));
}

export function securityModelOf(registry: DatabaseRegistry, config: DatabaseRegistryConfig): SecurityModel {
  return securityModel(registry.list(), config);
}

/**
 * Brings the database to the state every registered package needs: under the migration lock,
 * refuse edited migrations, apply what is pending package by package (with the security of its
 * objects), restore the application role's security, then verify the live catalog against the
 * registry and, when anything changed, prove isolation with the probe.
 */
export async function migrateDatabase(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { dryRun = false, verify = false, reporter = {} }: MigrateOptions = {},
): Promise<MigrateResult> {
  const ordered = packagesInOrder(registry);
  const expected = expectedState(ordered, config);
  if (!dryRun && !verify) {
    // One read-only round trip: nothing pending and nothing changed since a clean verification.
    const shortcut = await unchangedSinceVerification(client, expected);
    if (shortcut) return { plan: expected.plan, applied: [], restored: [], drift: [], probed: false, dryRun, verification: shortcut };
  }
  const model = securityModelOf(registry, config);
  // Refuse before the lock is taken: a refused run leaves no trace in the database.
  await refuseUnsafeMigrations(planMigrations(ordered, await readHistory(client)), ordered);
  return withMigrationLock(client, () => reporter.waitingForLock?.(), async () => {
    if (!dryRun) {
      await ensureHistoryTable(client);
      // A run that stopped between its ticket and its package's commit left pending rows: never history.
      await clearTickets(client);
    }
    const plan = planMigrations(ordered, await readHistory(client));
    if (plan.mismatches.length > 0) throw new ChecksumMismatchError(plan.mismatches);
    const unknown = unknownMigrations(plan);
    if (unknown.length > 0) throw new UnknownMigrationsError(unknown);
    // Another migrator may have changed the history meanwhile: check what will really run.
    await refuseUnsafeMigrations(plan, ordered);
    if (dryRun) return { plan, applied: [], restored: [], drift: [], probed: false, dryRun, verification: 'full' };
    // The record a no-op trusts is an optimisation: a migrator that may not keep it (another role
    // made the table) still migrates and verifies, and every no-op verifies everything.
    const epoch = await ensureSchemaEpoch(client).catch(() => undefined);
    const markNow = () => (epoch ? readVerificationMark(client, epoch) : Promise.resolve(undefined));
    // Each mark is read before the state it vouches for: a change committed after it raises the epoch.
    let mark = await markNow();
    const before = await readSecurityState(client, model);
    const applied = await applyPlan(client, plan, model, before, packageRoles(registry), reporter);
    if (applied.length) mark = await markNow();
    // When nothing was applied, the state just read is still current: no need to read it again.
    const current = applied.length ? await readSecurityState(client, model) : before;
    const repair = await restoreSecurity(client, current, model);
    if (repair.statements) mark = await markNow();
    const state = repair.statements ? await readSecurityState(client, model) : current;
    const after = securityDrift(state, model);
    const stillWrong = new Set(after.map((d) => d.message));
    // A role that did not exist yet was created, not restored: a fresh database has nothing to restore.
    const wasBroken = { ...before, role: before.role.filter((p) => p.kind !== 'missing-role') };
    const restored = [...(epoch?.restored ?? []), ...securityDrift(wasBroken, model).filter((d) => !stillWrong.has(d.message))];
    const drift = [...findDrift(await readCatalog(client), registry.core, registry.list(), config), ...after, ...repair.failures];
    drift.push(...(await databaseInventory(client, model)));
    const probed = applied.length > 0 || repair.statements > 0;
    if (probed) drift.push(...probeDrift(await probeIsolation(client, probeTargets(model))));
    if (drift.length === 0 && mark) await recordVerification(client, mark, expected.registry);
    return { plan, applied, restored, drift, probed, dryRun, verification: 'full' };
  });
}

/**
 * Restores what a migrate can: each repair runs on its own, so one the migrating role may not
 * make (ALTER ROLE … NOBYPASSRLS needs a superuser) does not stop the others; it is reported.
 */
async function restoreSecurity(client: SqlClient, state: SecurityState, model: SecurityModel) {
  const repairs = securityRepairSql(state, model);
  if (state.role.some((p) => p.kind === 'missing-role')) repairs.unshift(PREPARE_APP_ROLE);
  const failures: Drift[] = [];
  for (const statement of repairs) {
    try {
      await client.exec(statement);
    } catch (error) {
      failures.push({
        kind: 'restore-failed',
        table: statement.split('\n')[0]!.slice(0, 120),
        message: `Could not restore security with \`${statement.split('\n')[0]}\`: ${databaseErrorDetails(error).message}. The migrating role may lack the right; run ydtb db migrate as a role that has it (changing SUPERUSER or BYPASSRLS takes a superuser).`,
      });
    }
  }
  return { statements: repairs.length, failures };
}

/** Every package table with a workspace and every package view. */
export function probeTargets(model: SecurityModel): ProbeTarget[] {
  return [
    ...[...model.tenantTables].map(([relation, { packageName }]) => ({ relation, packageName })),
    ...[...model.views].map(([relation, packageName]) => ({ relation, packageName })),
  ];
}

/**
 * Throws MigrationLintError when a pending migration has an error finding: it controls the
 * transaction or the role, or breaks a safety rule it does not allow. Warnings never block.
 */
async function refuseUnsafeMigrations(plan: MigrationPlan, packages: readonly RegisteredPackage[]): Promise<void> {
  const errors = (await lintPending(plan, packages)).filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new MigrationLintError(errors);
}

/** Drift of the live database against the registry: catalog and security; with `probe`, the isolation probe too. */
export async function driftOf(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  { probe = false }: { readonly probe?: boolean } = {},
): Promise<Drift[]> {
  const model = securityModelOf(registry, config);
  const drift = [
    ...findDrift(await readCatalog(client), registry.core, registry.list(), config),
    ...securityDrift(await readSecurityState(client, model), model),
    ...(await schemaEpochDrift(client)),
    ...(await databaseInventory(client, model)),
  ];
  if (probe) drift.push(...probeDrift(await probeIsolation(client, probeTargets(model))));
  return drift;
}
