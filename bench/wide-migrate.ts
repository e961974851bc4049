import { drizzle } from 'drizzle-orm/pglite';
import { migrate as drizzleMigrate } from 'drizzle-orm/pglite/migrator';
import { defaultRegistryConfig } from '@ydtb/core';
import { describeError } from '../apps/core/src/lib/registry/describe-error';
import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { migrateDatabase } from '../apps/core/src/lib/migrations/migrate-database';
import { drizzleMigrationsFolder, type FreshDatabases } from './databases';
import { samplePair, type Plan, type Samples } from './measure';
import { migrateFixture, tableCount, type MigrateFixture } from './migrate-fixture';
import { result, type Result } from './report';

/*
 * The first migrate of many packages at once (1,000 in the full run, 10,000 tables), which a
 * deployment does when it starts on an empty database. Ours is `migrateDatabase`, one
 * transaction a package, timed against itself at a tenth of the packages (it should grow no
 * faster than the packages do). drizzle-orm's `migrate()` runs the same migrations from a
 * migrations folder in one transaction; it is run once, and its outcome (time, or the error it
 * stopped with and what it left behind) is reported for information.
 */

export interface WideMigrateConfig {
  readonly packages: number;
  /** The size ours is compared with. */
  readonly baselinePackages: number;
  readonly plan: Plan;
}

export async function wideMigrateRows(
  ddl: readonly string[],
  config: WideMigrateConfig,
  dbs: FreshDatabases,
  progress: (line: string) => void,
): Promise<Result[]> {
  const wide = migrateFixture(ddl, config.packages);
  const narrow = migrateFixture(ddl, config.baselinePackages);
  progress(`first migrate of ${wide.packageCount} packages (${wide.expectedTables} tables) vs ${narrow.packageCount}, fresh PGlite each run…`);
  const wideDrift: number[] = [];
  const narrowDrift: number[] = [];
  const [ours, base] = await samplePair(config.plan, migrateOnce(wide, dbs, wideDrift), migrateOnce(narrow, dbs, narrowDrift));
  progress(`  migrateDatabase ${ms(ours)} for ${wide.packageCount} packages, ${ms(base)} for ${narrow.packageCount}; drift reported: ${Math.max(...wideDrift)} and ${Math.max(...narrowDrift)}`);
  const drizzleOutcome = await drizzleOnce(wide, dbs);
  progress(`  drizzle migrate(): ${drizzleOutcome.error ?? 'applied every migration'} after ${drizzleOutcome.ms.toFixed(0)} ms; ${drizzleOutcome.tables} tables left`);
  const rows: Result[] = [
    result({
      name: `first migrate (${wide.packageCount} pkgs)`,
      value: ours.median,
      baseline: base.median,
      target: (wide.packageCount / narrow.packageCount) * 1.1,
      targetOf: 'ratio',
      unit: 'ms',
      baselineIs: `ours at ${narrow.packageCount} pkgs`,
      samples: ours.samples,
      baselineSamples: base.samples,
    }),
    result({
      name: `first migrate (${wide.packageCount} pkgs), drift reported`,
      value: Math.max(...wideDrift),
      baseline: Math.max(...narrowDrift),
      target: 0,
      targetOf: 'value',
      unit: 'findings',
      baselineIs: `ours at ${narrow.packageCount} pkgs`,
    }),
  ];
  const drizzleName = `drizzle migrate() (${wide.migrations.length} migrations)`;
  rows.push(
    result({
      name: drizzleOutcome.error === undefined ? drizzleName : `${drizzleName}: failed, "${drizzleOutcome.error}", ${drizzleOutcome.tables} tables left`,
      value: drizzleOutcome.ms,
      baseline: ours.median,
      target: null,
      targetOf: null,
      unit: 'ms',
      baselineIs: 'ours, same migrations',
    }),
  );
  return rows;
}

/**
 * One timed `migrateDatabase` into a fresh PGlite, checked after the clock stops: every
 * migration applied and every table there, or the bench stops. The drift it reports on a fresh
 * database should be none; how much there is goes to `drift`, and into a row.
 */
function migrateOnce(fixture: MigrateFixture, dbs: FreshDatabases, drift: number[]): () => Promise<number> {
  return async () => {
    const pg = await dbs.fresh();
    try {
      const started = performance.now();
      const outcome = await migrateDatabase(pgliteClient(pg), fixture.registry, defaultRegistryConfig);
      const elapsed = performance.now() - started;
      const tables = await tableCount(pg);
      if (outcome.applied.length !== fixture.migrations.length || tables !== fixture.expectedTables) {
        throw new Error(`migrateDatabase applied ${outcome.applied.length} of ${fixture.migrations.length} migrations, ${tables} tables`);
      }
      drift.push(outcome.drift.length);
      return elapsed;
    } finally {
      await dbs.close(pg);
    }
  };
}

/** drizzle-orm's migrator on the same migrations, once: its time and error, and the tables it left. */
async function drizzleOnce(fixture: MigrateFixture, dbs: FreshDatabases): Promise<{ ms: number; error: string | undefined; tables: number }> {
  const folder = drizzleMigrationsFolder(fixture.migrations);
  const pg = await dbs.fresh();
  try {
    const started = performance.now();
    let error: string | undefined;
    try {
      await drizzleMigrate(drizzle({ client: pg }), { migrationsFolder: folder.folder });
    } catch (caught) {
      error = rootMessage(caught);
    }
    const elapsed = performance.now() - started;
    const tables = await tableCount(pg);
    if (error === undefined && tables !== fixture.expectedTables) throw new Error(`drizzle's migrator succeeded with ${tables} tables`);
    return { ms: elapsed, error, tables };
  } finally {
    folder.rm();
    await dbs.close(pg);
  }
}

/** drizzle wraps the driver's error ("Failed query: …"); the cause says what PostgreSQL refused. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  return describeError(current);
}

function ms(s: Samples): string {
  return `${s.median.toFixed(0)} ms`;
}
