import type { DatabaseRegistryConfig, MigrationDefinition } from '../../types/database-registry.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { probeIsolation } from '../isolation/isolation-probe.ts';
import { securePackage } from '../isolation/package-security.ts';
import { PREPARE_APP_ROLE } from '../isolation/policy-sql.ts';
import { readSecurityState } from '../isolation/security-state.ts';
import { withMigrationLock } from './advisory-lock.ts';
import { readCatalog } from './catalog.ts';
import { dependentsWithTables } from './dependents-with-tables.ts';
import { findDrift, type Drift } from './drift.ts';
import { ensureHistoryTable, readHistory, type CurrentStatus } from './history.ts';
import { clearTickets, redeemTicket, ticketToRollBack } from './history-ticket.ts';
import { enterPackage } from '../package-roles/enter-package.ts';
import { packageRoles } from '../package-roles/package-roles.ts';
import { incomingForeignKeys, type IncomingForeignKey } from './incoming-foreign-keys.ts';
import { packagesInOrder, planDatabase, probeTargets, securityModelOf } from './migrate-database.ts';
import { databaseErrorDetails } from './migration-failed-error.ts';
import { readDirectives } from './migration-directives.ts';
import { lintMigrations, MIGRATION_RULES } from './migration-lint.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { planMigrations } from './migration-plan.ts';
import { withoutPendingDrift } from './pending-drift.ts';
import { RollbackFailedError } from './rollback-failed-error.ts';
import { RollbackRefusedError } from './rollback-refused-error.ts';
import { DEFAULT_ROLLBACK_TARGET, selectRollback, type RollbackTarget } from './rollback-target.ts';
import { probeDrift, securityDrift } from './security-drift.ts';
import { knownSideDoors, newSideDoors } from './side-doors.ts';
import { PackageRoleEscapeError } from '../package-roles/package-role-escape-error.ts';
import { POLICY_NAME } from '../isolation/isolation-settings.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import { workspaceTypeChanges } from './workspace-type-changes.ts';

export interface RollbackReporter {
  waitingForLock?(): void;
  /** About to run the down SQL of `migrationIds` (newest first) in one transaction. */
  rollbackStarted?(packageName: string, version: string, migrationIds: readonly string[]): void;
  /** One migration's down SQL ran inside the rollback's transaction (committed with the others). */
  migrationRolledBack?(packageName: string, migrationId: string, durationMs: number): void;
}

export interface RollbackRequest {
  readonly packageName: string;
  /** Default: the last applied migration is undone (`{ steps: 1 }`). */
  readonly target?: RollbackTarget;
  /** Check and show what would run; change nothing. */
  readonly dryRun?: boolean;
  readonly reporter?: RollbackReporter;
}

export interface RolledBackMigration {
  readonly migrationId: string;
  /** How it had been recorded: applied by migrate, or baselined. */
  readonly status: CurrentStatus;
  /** The down SQL that runs (ran) for it. */
  readonly down: string;
  /** How long its down SQL took; absent on a dry run. */
  readonly durationMs?: number;
}

export interface RollbackResult {
  readonly packageName: string;
  readonly version: string;
  /** The package's last applied migration afterwards; null when none remains. */
  readonly remaining: string | null;
  /** Newest first, in the order their down SQL runs. */
  readonly migrations: readonly RolledBackMigration[];
  /** Tables of the package whose row-level security and grants were applied again. */
  readonly securedTables: readonly string[];
  /** Verification afterwards (empty on a dry run). Tables the undone migrations made are pending, not drift. */
  readonly drift: readonly Drift[];
  readonly dryRun: boolean;
}

/** Rules whose findings in a down SQL would break the one transaction a rollback runs in. */
const TRANSACTION_RULES: ReadonlySet<string> = new Set([
  MIGRATION_RULES.transaction,
  MIGRATION_RULES.role,
  MIGRATION_RULES.session,
  MIGRATION_RULES.database,
  MIGRATION_RULES.syntax,
  MIGRATION_RULES.noTransaction,
]);

/**
 * Undoes a package's applied migrations newer than the target (default: the last one): under the
 * migration lock, their down SQL runs newest first in ONE transaction, which also marks their
 * history rows `rolled_back` (when, by `current_user`) and applies the package's security to what
 * remains (a table the down SQL makes again gets forced row-level security and its grants). The
 * undone migrations are pending again; `migrateDatabase` applies them anew, with new history rows.
 *
 * Refuses (RollbackRefusedError, nothing changed): an unknown package or target, nothing to undo,
 * a migration without down SQL, one that runs outside a transaction, one edited after it was
 * applied, history rows the package does not ship; removing every table of the package while a
 * package that depends on it has tables; and, found inside the transaction, down SQL that drops
 * foreign keys other tables hold into the package's tables (drizzle-kit drops tables with CASCADE).
 * A down SQL that fails, or creates a way around row-level security, throws RollbackFailedError.
 */
export async function rollbackPackage(
  client: SqlClient,
  registry: DatabaseRegistry,
  config: DatabaseRegistryConfig,
  request: RollbackRequest,
): Promise<RollbackResult> {
  const { packageName, target = DEFAULT_ROLLBACK_TARGET, dryRun = false, reporter = {} } = request;
  const ordered = packagesInOrder(registry);
  const pkg = ordered.find((p) => p.registration.packageName === packageName);
  if (!pkg) throw new RollbackRefusedError(packageName, { kind: 'unknown-package' });
  const { version } = pkg.registration;
  const definitions = new Map((pkg.registration.migrations ?? []).map((m) => [m.id, m]));
  const model = securityModelOf(registry, config);

  return withMigrationLock(client, () => reporter.waitingForLock?.(), async () => {
    const history = (await readHistory(client)).filter((row) => row.packageName === packageName);
    const plan = planMigrations([pkg], history);
    const own = plan.packages[0]!;
    if (own.unknown.length > 0) throw new RollbackRefusedError(packageName, { kind: 'unknown-history', migrationIds: own.unknown });
    const shipped = [...definitions.keys()].sort();
    const { remaining, undo } = selectRollback(packageName, own.applied, shipped, target);

    const edited = plan.mismatches.filter((m) => undo.includes(m.migrationId)).map((m) => m.migrationId);
    if (edited.length > 0) throw new RollbackRefusedError(packageName, { kind: 'edited', migrationIds: edited });
    const noDown = undo.filter((id) => !downOf(definitions.get(id)!)?.trim());
    if (noDown.length > 0) throw new RollbackRefusedError(packageName, { kind: 'no-down-sql', migrationIds: noDown });
    const noTransaction = undo.filter((id) => readDirectives(upOf(definitions.get(id)!)).noTransaction || readDirectives(downOf(definitions.get(id)!)!).noTransaction);
    if (noTransaction.length > 0) throw new RollbackRefusedError(packageName, { kind: 'no-transaction', migrationIds: noTransaction });
    const findings = (await lintMigrations([{ packageName, migrations: undo.map((id) => ({ id: `${id}.down`, sql: downOf(definitions.get(id)!)! })) }]))
      .filter((f) => f.severity === 'error' && TRANSACTION_RULES.has(f.rule));
    if (findings.length > 0) throw new MigrationLintError(findings);
    if (remaining === null) {
      const dependents = await dependentsWithTables(client, registry, packageName);
      if (dependents.length > 0) throw new RollbackRefusedError(packageName, { kind: 'dependents-have-tables', dependents });
    }

    const status = new Map(history.map((row) => [row.migrationId, row.status]));
    const steps = undo.map((id) => ({ migrationId: id, status: status.get(id)!, down: downOf(definitions.get(id)!)! }));
    if (dryRun) return { packageName, version, remaining, migrations: steps, securedTables: [], drift: [], dryRun };

    await ensureHistoryTable(client);
    await clearTickets(client);
    await client.exec(PREPARE_APP_ROLE);
    const before = await readSecurityState(client, model);
    const known = knownSideDoors(before);
    const ownTables = pkg.tables.map((t) => t.config.name);
    const owners = new Map(registry.all().flatMap((p) => p.tables.map((t) => [t.config.name, p.registration.packageName] as const)));
    reporter.rollbackStarted?.(packageName, version, undo);
    // The down SQL is the package's: it runs as the package's role, like its migrations.
    const session = await enterPackage(client, packageRoles(registry), packageName, before.owners);
    const ticket = await ticketToRollBack(client, packageName, undo);
    let result;
    try {
      result = await session.transaction(async (tx) => {
        const incoming = await incomingForeignKeys(tx, ownTables);
        const done: RolledBackMigration[] = [];
        const workspaceColumns = new Map(
          [...model.tenantTables].filter(([, t]) => t.packageName === packageName).map(([table, t]) => [table, t.workspaceColumn] as const),
        );
        for (const step of steps) {
          const started = performance.now();
          try {
            // A workspace column changing type back: its policy is lifted here and written again by securePackage below.
            const lifted = await workspaceTypeChanges(step.down, workspaceColumns);
            if (lifted.length) await tx.exec(lifted.map((table) => `DROP POLICY IF EXISTS ${quoteIdent(POLICY_NAME)} ON ${quoteIdent(table)};`).join('\n'));
            await tx.exec(step.down);
          } catch (error) {
            throw new RollbackFailedError(packageName, [step.migrationId], databaseErrorDetails(error));
          }
          const durationMs = performance.now() - started;
          done.push({ ...step, durationMs: Math.round(durationMs) });
          reporter.migrationRolledBack?.(packageName, step.migrationId, durationMs);
        }
        const lost = lostKeys(incoming, await incomingForeignKeys(tx, ownTables));
        if (lost.length > 0) {
          const keys = lost.map((k) => ({ ...k, ...(owners.has(k.table) ? { packageName: owners.get(k.table)! } : {}) }));
          throw new RollbackRefusedError(packageName, { kind: 'breaks-foreign-keys', keys });
        }
        const sideDoors = await newSideDoors(tx, model, known);
        if (sideDoors) throw new RollbackFailedError(packageName, undo, { message: sideDoors.message });
        await redeemTicket(tx, ticket);
        const securedTables = await securePackage(tx, model, { packageName, migrated: true, broken: new Map() });
        return { done, securedTables };
      });
    } catch (error) {
      await clearTickets(client);
      if (error instanceof PackageRoleEscapeError) throw new RollbackFailedError(packageName, undo, { message: error.message });
      throw error;
    } finally {
      await session.close();
    }
    const { done, securedTables } = result;

    const after = await planDatabase(client, registry);
    const drift = withoutPendingDrift(
      [...findDrift(await readCatalog(client), registry.core, registry.list(), config), ...securityDrift(await readSecurityState(client, model), model)],
      after,
    );
    drift.push(...probeDrift(await probeIsolation(client, probeTargets(model))));
    return { packageName, version, remaining, migrations: done, securedTables, drift, dryRun };
  });
}

function upOf(migration: MigrationDefinition): string {
  return 'sql' in migration ? migration.sql : migration.up;
}

function downOf(migration: MigrationDefinition): string | undefined {
  return migration.down;
}

const keyOf = (k: IncomingForeignKey) => `${k.table}\u0000${k.constraint}`;

function lostKeys(before: readonly IncomingForeignKey[], after: readonly IncomingForeignKey[]): IncomingForeignKey[] {
  const still = new Set(after.map(keyOf));
  return before.filter((k) => !still.has(keyOf(k)));
}
