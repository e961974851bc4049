import type { SqlClient } from '../database/sql-client';
import { schemaFunctions } from '../isolation/function-security';
import { rewriteRules } from '../isolation/rewrite-rules';
import { describeKeyProblem, keyProblems } from '../isolation/key-isolation';
import { securePackage } from '../isolation/package-security';
import type { TablePolicyState } from '../isolation/policy-state';
import type { SecurityModel } from '../isolation/security-model';
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
 * `broken` lists the package tables whose row-level security must be restored even when no
 * migration of their package is pending.
 */
export async function applyPlan(
  client: SqlClient,
  plan: MigrationPlan,
  model: SecurityModel,
  broken: ReadonlyMap<string, TablePolicyState>,
  events: MigratorEvents = {},
): Promise<AppliedPackage[]> {
  const applied: AppliedPackage[] = [];
  for (const pkg of plan.packages) {
    const brokenOfPackage = new Map([...broken].filter(([table]) => model.tenantTables.get(table)?.packageName === pkg.packageName));
    if (pkg.pending.length === 0 && brokenOfPackage.size === 0) continue;
    events.packageStarted?.(pkg);
    const started = performance.now();
    const securedTables = await client.transaction(async (tx) => {
      if (pkg.pending.length) await applyPackage(tx, pkg, model, events);
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

async function applyPackage(tx: SqlClient, pkg: PackagePlan, model: SecurityModel, events: MigratorEvents): Promise<void> {
  const before = await sideDoors(tx, model);
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
  await refuseNewSideDoors(tx, pkg, model, before);
}

/** Undeclared SECURITY DEFINER functions and rewrite rules on package tables, by signature / table.rule. */
async function sideDoors(tx: SqlClient, model: SecurityModel): Promise<{ definers: Set<string>; rules: Set<string>; keys: Map<string, string> }> {
  return {
    definers: new Set((await schemaFunctions(tx)).filter((f) => f.securityDefiner && !model.definers.has(f.name)).map((f) => f.signature)),
    rules: new Set((await rewriteRules(tx, model.prefix)).map((r) => `"${r.relation}"."${r.rule}"`)),
    keys: new Map((await keyProblems(tx, model)).map((k) => [`${k.table}.${k.kind === 'unique' ? k.index : k.constraint}`, describeKeyProblem(k)])),
  };
}

/**
 * A SECURITY DEFINER function, or a rewrite rule's actions, run with the owner's rights, and an
 * owner that is a superuser bypasses row-level security: one a package's migrations create
 * (functions: without declaring it) rolls the package back.
 */
async function refuseNewSideDoors(tx: SqlClient, pkg: PackagePlan, model: SecurityModel, before: Awaited<ReturnType<typeof sideDoors>>): Promise<void> {
  const after = await sideDoors(tx, model);
  const definers = [...after.definers].filter((f) => !before.definers.has(f));
  const rules = [...after.rules].filter((r) => !before.rules.has(r));
  const keys = [...after.keys].filter(([key]) => !before.keys.has(key)).map(([, description]) => description);
  if (definers.length === 0 && rules.length === 0 && keys.length === 0) return;
  const migration = pkg.pending.length === 1 ? pkg.pending[0]!.id : pkg.pending.map((m) => m.id).join(', ');
  const problems = [
    ...definers.map((f) => `the SECURITY DEFINER function ${f} (make it SECURITY INVOKER, or declare it with the reason in the registration's securityDefinerFunctions)`),
    ...rules.map((r) => `the rewrite rule ${r} (use a SECURITY INVOKER trigger instead)`),
  ];
  const sideDoor = problems.length
    ? `it creates ${problems.join(' and ')}, which run${problems.length > 1 ? '' : 's'} with the owner's rights and can get around row-level security`
    : '';
  throw new MigrationFailedError(pkg.packageName, migration, { message: [sideDoor, ...keys].filter(Boolean).join('. ') });
}
