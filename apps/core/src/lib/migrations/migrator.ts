import type { SqlClient } from '../database/sql-client';
import { PREPARE_APP_ROLE, isolationSql } from '../isolation/policy-sql';
import type { TableToSecure } from '../isolation/policy-state';
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

/** Tables of a package whose row-level security is not in place, by package name. */
export type TablesToSecure = ReadonlyMap<string, readonly TableToSecure[]>;

export interface MigratorEvents {
  packageStarted?(plan: PackagePlan): void;
  packageApplied?(applied: AppliedPackage): void;
}

/**
 * Applies each package's pending migrations, and then its tables' row-level security, in one
 * transaction together with their history rows. A failure rolls that package back and stops
 * the run with MigrationFailedError.
 */
export async function applyPlan(
  client: SqlClient,
  plan: MigrationPlan,
  toSecure: TablesToSecure,
  events: MigratorEvents = {},
): Promise<AppliedPackage[]> {
  const applied: AppliedPackage[] = [];
  for (const pkg of plan.packages) {
    const tables = toSecure.get(pkg.packageName) ?? [];
    if (pkg.pending.length === 0 && tables.length === 0) continue;
    events.packageStarted?.(pkg);
    const started = performance.now();
    const securedTables = await client.transaction(async (tx) => {
      await applyPackage(tx, pkg);
      return secureTables(tx, pkg.packageName, tables);
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

/** Secures the tables that exist; a table no migration created is left to the drift report. */
async function secureTables(tx: SqlClient, packageName: string, tables: readonly TableToSecure[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const existing = new Set(
    (await tx.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[])`,
      [tables.map((t) => t.table)],
    )).map((row) => row.relname),
  );
  const present = tables.filter((t) => existing.has(t.table));
  if (present.length === 0) return [];
  const script = [PREPARE_APP_ROLE, ...present.map((t) => isolationSql(t.table, t.workspaceColumn))].join('\n');
  try {
    await tx.exec(script);
  } catch (error) {
    throw new MigrationFailedError(packageName, 'row-level security', databaseErrorDetails(error));
  }
  return present.map((t) => t.table);
}
