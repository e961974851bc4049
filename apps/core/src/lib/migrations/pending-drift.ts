import type { Drift, DriftKind } from './drift.ts';
import type { MigrationPlan } from './migration-plan.ts';

/** What a package's migrations create: missing while one of them is pending. */
const MADE_BY_MIGRATIONS: ReadonlySet<DriftKind> = new Set(['missing-table', 'missing-column', 'missing-workspace-fk']);

/**
 * Drift without the tables, columns and workspace keys missing from packages that have pending
 * migrations: those are what the pending migrations make (a fresh database, a rolled-back
 * migration), and the migrations are reported as pending instead. `ydtb db migrate` verifies the
 * catalog afterwards, so one they do not make is reported then.
 */
export function withoutPendingDrift(drift: readonly Drift[], plan: MigrationPlan): Drift[] {
  const pending = new Set(plan.packages.filter((p) => p.pending.length > 0).map((p) => p.packageName));
  return drift.filter((d) => !(d.packageName !== undefined && pending.has(d.packageName) && MADE_BY_MIGRATIONS.has(d.kind)));
}
