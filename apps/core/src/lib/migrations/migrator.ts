import type { SqlClient } from '../database/sql-client.ts';
import { securePackage } from '../isolation/package-security.ts';
import { PREPARE_APP_ROLE } from '../isolation/policy-sql.ts';
import type { SecurityModel } from '../isolation/security-model.ts';
import type { SecurityState } from '../isolation/security-state.ts';
import { enterPackage } from '../package-roles/enter-package.ts';
import { PackageRoleEscapeError } from '../package-roles/package-role-escape-error.ts';
import type { PackageRoles } from '../package-roles/package-roles.ts';
import type { PackageSession } from '../package-roles/package-session.ts';
import { knownSideDoors, refuseNewSideDoors, type SideDoors } from './side-doors.ts';
import { clearTickets, redeemTicket, ticketToApply } from './history-ticket.ts';
import { databaseErrorDetails, MigrationFailedError } from './migration-failed-error.ts';
import { readDirectives } from './migration-directives.ts';
import type { MigrationPlan, PackagePlan, PlannedMigration } from './migration-plan.ts';
import { runWithoutTransaction, type NoTransactionEvents } from './no-transaction-step.ts';
import { retryOnLockTimeout } from './lock-retry.ts';
import { workspaceTypeChanges } from './workspace-type-changes.ts';
import { POLICY_NAME } from '../isolation/isolation-settings.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';

export interface AppliedPackage {
  readonly packageName: string;
  readonly migrationIds: readonly string[];
  /** Tables whose row-level security was (re)applied. */
  readonly securedTables: readonly string[];
  readonly durationMs: number;
}

export interface MigratorEvents extends NoTransactionEvents {
  packageStarted?(plan: PackagePlan): void;
  /**
   * One migration's SQL ran: inside its package's transaction (committed with the package), or,
   * with `outsideTransaction`, on its own and already recorded.
   */
  migrationRan?(packageName: string, migrationId: string, durationMs: number, how?: { readonly outsideTransaction: boolean }): void;
  packageApplied?(applied: AppliedPackage): void;
}

/** A package's pending migrations cut where one must run outside a transaction, in id order. */
type Step = { readonly alone: false; readonly migrations: readonly PlannedMigration[] } | { readonly alone: true; readonly migration: PlannedMigration };

function stepsOf(pending: readonly PlannedMigration[]): Step[] {
  const steps: Step[] = [];
  for (const migration of pending) {
    const last = steps.at(-1);
    if (readDirectives(migration.sql).noTransaction) steps.push({ alone: true, migration });
    else if (last && !last.alone) steps[steps.length - 1] = { alone: false, migrations: [...last.migrations, migration] };
    else steps.push({ alone: false, migrations: [migration] });
  }
  return steps;
}

/**
 * Applies each package's pending migrations, and then the security of its objects (forced
 * row-level security, the application role's grants), in one transaction together with their
 * history rows. A failure rolls that package back and stops the run with MigrationFailedError.
 * Each package's SQL runs in its own role's session (package-session.ts): the role owns what it
 * creates and may touch nothing else, so the database itself refuses SQL that reaches another
 * package's tables, ydtb's own tables or the database's settings. Core's migrations are the
 * platform's and run as the migrator. The history rows commit with the package's transaction
 * through a ticket (history-ticket.ts). Before the package runs, what it declares and another
 * role owns (a database migrated before packages had roles) is given to its role.
 * A migration headed `-- ydtb:no-transaction` cuts that in steps: the migrations before it commit
 * first, with their history rows and the package's security; it runs alone, outside any
 * transaction, and is recorded once it succeeded; the security is applied again in a transaction
 * after the package's last step. Its failure stops the run with NoTransactionFailedError and
 * nothing recorded for it.
 * `state` is the security read before the run: the package tables whose row-level security must
 * be restored even when no migration of their package is pending, the objects another role owns,
 * and the side doors that were there already (a migration may not add one).
 */
export async function applyPlan(
  client: SqlClient,
  plan: MigrationPlan,
  model: SecurityModel,
  state: SecurityState,
  roles: PackageRoles,
  events: MigratorEvents = {},
): Promise<AppliedPackage[]> {
  const applied: AppliedPackage[] = [];
  const known = knownSideDoors(state);
  let rolePrepared = false;
  for (const pkg of plan.packages) {
    const brokenOfPackage = new Map([...state.policies].filter(([table]) => model.tenantTables.get(table)?.packageName === pkg.packageName));
    const owners = state.owners.filter((p) => p.packageName === pkg.packageName);
    if (pkg.pending.length === 0 && brokenOfPackage.size === 0 && owners.length === 0) continue;
    events.packageStarted?.(pkg);
    const started = performance.now();
    // Once a run, not once a package: grants need the role, and creating it is idempotent.
    if (!rolePrepared) await client.exec(PREPARE_APP_ROLE);
    rolePrepared = true;
    const session = await enterPackage(client, roles, pkg.packageName, owners);
    try {
      const securedTables = await applyPackage(client, session, pkg, model, known, brokenOfPackage, events);
      const done = { packageName: pkg.packageName, migrationIds: pkg.pending.map((m) => m.id), securedTables, durationMs: performance.now() - started };
      applied.push(done);
      events.packageApplied?.(done);
    } finally {
      await session.close();
    }
  }
  return applied;
}

async function applyPackage(
  client: SqlClient,
  session: PackageSession,
  pkg: PackagePlan,
  model: SecurityModel,
  known: SideDoors,
  broken: SecurityState['policies'],
  events: MigratorEvents,
): Promise<string[]> {
  const secure = async (tx: SqlClient) => {
    try {
      return await securePackage(tx, model, { packageName: pkg.packageName, migrated: pkg.pending.length > 0, broken });
    } catch (error) {
      throw new MigrationFailedError(pkg.packageName, 'row-level security', databaseErrorDetails(error));
    }
  };
  const steps = stepsOf(pkg.pending);
  const committed: string[] = [];
  let securedTables: string[] = [];
  for (const step of steps) {
    if (step.alone) {
      // A lock not had within lock_timeout: the step is run again, a bounded number of times (lock-retry.ts).
      const durationMs = await retryOnLockTimeout(() => runWithoutTransaction(client, session, pkg, step.migration, model, known, events));
      committed.push(step.migration.id);
      events.migrationRan?.(pkg.packageName, step.migration.id, durationMs, { outsideTransaction: true });
      continue;
    }
    const ids = step.migrations.map((m) => m.id);
    securedTables = await retryOnLockTimeout(async () => {
      const ticket = await ticketToApply(client, pkg, step.migrations);
      try {
        return await session.transaction(async (tx) => {
          const durations = await applyMigrations(tx, pkg, step.migrations, model, known, events, committed);
          await redeemTicket(tx, ticket, durations);
          return secure(tx);
        });
      } catch (error) {
        await clearTickets(client);
        if (error instanceof PackageRoleEscapeError) throw new MigrationFailedError(pkg.packageName, ids.join(', '), { message: error.message }, committed);
        throw error;
      }
    });
    committed.push(...ids);
  }
  // Nothing pending (security to restore only), or the last step ran outside a transaction.
  if (steps.length === 0 || steps.at(-1)!.alone) securedTables = await retryOnLockTimeout(() => session.transaction(secure));
  return securedTables;
}

async function applyMigrations(
  tx: SqlClient,
  pkg: PackagePlan,
  migrations: readonly PlannedMigration[],
  model: SecurityModel,
  known: SideDoors,
  events: MigratorEvents,
  committed: readonly string[],
): Promise<Record<string, number>> {
  const durations: Record<string, number> = {};
  const workspaceColumns = new Map(
    [...model.tenantTables].filter(([, t]) => t.packageName === pkg.packageName).map(([table, t]) => [table, t.workspaceColumn] as const),
  );
  for (const migration of migrations) {
    const started = performance.now();
    try {
      // A workspace column changing type: its policy is lifted here and written again by securePackage, in this transaction.
      const lifted = await workspaceTypeChanges(migration.sql, workspaceColumns);
      if (lifted.length) await tx.exec(lifted.map((table) => `DROP POLICY IF EXISTS ${quoteIdent(POLICY_NAME)} ON ${quoteIdent(table)};`).join('\n'));
      await tx.exec(migration.sql);
    } catch (error) {
      throw new MigrationFailedError(pkg.packageName, migration.id, databaseErrorDetails(error), committed);
    }
    const durationMs = performance.now() - started;
    durations[migration.id] = Math.round(durationMs);
    events.migrationRan?.(pkg.packageName, migration.id, durationMs, { outsideTransaction: false });
  }
  await refuseNewSideDoors(tx, pkg, model, known, migrations.map((m) => m.id), committed);
  return durations;
}
