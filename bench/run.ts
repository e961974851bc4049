import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate as drizzleMigrate } from 'drizzle-orm/pglite/migrator';
import { defaultRegistryConfig } from '@ydtb/core';
import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { migrateDatabase } from '../apps/core/src/lib/migrations/migrate-database';
import { drizzleMigrationsFolder, FreshDatabases } from './databases';
import { graphPageRows, type GraphPageConfig } from './graph-page';
import { hostFaultRows, type HostFaultsConfig } from './host-faults';
import { hostLoadRows, type HostLoadConfig } from './host-load';
import { migrateLoadRows, type MigrateLoadConfig } from './migrate-under-load';
import { wholeProcessRows, type WholeProcessConfig } from './whole-process';
import { tenantLifeRows, type TenantLifeConfig } from './tenant-life';
import { noopEpochRows, type NoopEpochConfig } from './noop-epoch';
import { samplePair, summary, type Plan, type Samples } from './measure';
import { formatTable, result, type Result } from './report';
import { generateDdl } from './ddl';
import { wideMigrateRows, type WideMigrateConfig } from './wide-migrate';
import { migrateFixture, startRegistry, tableCount, type MigrateFixture } from './migrate-fixture';
import { getTableConfigPass, syntheticPackages, TABLES_PER_PACKAGE, type SyntheticPackage } from './synthetic';

const HELP = `bun bench/run.ts [--smoke] [--json] [--no-clone] [--only <groups>] [--help]

Benchmarks the package database registry on synthetic packages (N packages × ${TABLES_PER_PACKAGE}
tables, each with one drizzle-kit migration) against baselines measured in the same run, and
prints one row per figure: the median of several runs after a warm-up.

  startup         createContainer(modules) + resolve DatabaseRegistry, 100 packages, every rule
                  vs one getTableConfig pass over the same tables (target ratio ≤ 4.0×)
  scale           the same at 10, 100 and 1,000 packages; 1000/100 must stay ≤ 11×
  first migrate   migrateDatabase of 100 packages into a fresh in-memory PGlite
                  vs the same DDL as one pg.exec script on a fresh PGlite (target ≤ 1.15×)
  no-op migrate   migrateDatabase with everything applied vs drizzle-orm's migrate()
                  on the same migrations, also applied (target ≤ 1.0× and ≤ 50 ms)
  epoch           the no-op migrate with verification kept (schema epoch), 100 packages, in
                  process, on PGlite and on a PostgreSQL server started for the run, vs
                  drizzle-orm's migrate() (target ≤ 1.0× each); 1000/100 packages (target
                  ≤ 1.5×); --verify and the catalog fingerprint (information)
  peak RSS        a child process that starts the registry with 1,000 packages
                  vs a child that only reads the same tables' configs (target ≤ 1.3×)
  host            8 HTTP clients × 10,000 requests over 100 workspaces against the example
                  host (withWorkspace, pooled login role) on a PostgreSQL server started for
                  the run vs the same queries without withWorkspace: p50 latency (target
                  ≤ 2.0×), throughput and p99 (information), rows of another workspace and
                  settings left on pooled connections (target 0)
  faults          the example host under 4 HTTP clients over 24 workspaces while its PostgreSQL
                  server (started for the run) is restarted, killed with SIGKILL and started,
                  and has the host's backends terminated, 3 times each: the host's recovery
                  after each (target ≤ 1,000 ms), the slowest answer (target ≤ the deadline),
                  unanswered requests, foreign rows, lost or doubled writes, exits (target 0)
  lockwait        migrateDatabase adding a column to the table the example host serves, behind
                  a reader holding it 15 s, under HTTP load: with the CLI's lock_timeout (3 s)
                  and retries vs without: the host's longest outage (target ≤ 4,000 ms), its
                  slowest answer and when the migration was applied (information)
  graph           the ydtb db graph --format html page of 100 packages (1,003 tables) in
                  headless Chromium until it shows every table vs the page of 1 package
                  (target ≤ 5,000 ms, every table shown), the CLI's time and the page's size
  wide            migrateDatabase of 1,000 packages into a fresh PGlite vs the same at 100
                  (target ratio ≤ 11×), and drizzle-orm's migrate() on the same 1,001
                  migrations in one transaction, once: its time or its error (information)
  process         whole processes on a PostgreSQL server started for the run: no-op
                  \`ydtb db migrate\` vs a drizzle migrate() script, 3 and 100 packages
                  (target ≤ 1.5×); \`ydtb db check\` vs \`drizzle-kit check\`, 100 packages,
                  unchanged schemas (target ≤ 1.0× and ≤ 700 ms)
  tenant          ydtb workspace export of one workspace of 100,000 rows (the example tables)
                  on a PostgreSQL server started for the run vs COPY (SELECT … WHERE
                  workspace_id = …) TO STDOUT of the same tables into files (target ≤ 3.0×),
                  their peak RSS, each in a child process (target ≤ 1.5×), and throughput;
                  ydtb workspace erase vs the plain DELETEs in one transaction (target ≤ 2.0×)

Options:
  --smoke      tiny sizes and few runs, for CI (under 30 s); still prints every row
  --json       print {"results": [{name, value, baseline, ratio, target, unit, …}]} instead of a table
  --no-clone   start every PGlite with PGlite.create() instead of cloning one fresh template (slower)
  --only <g,…> run some groups only: startup (with scale), first, noop, epoch, memory, host, faults, lockwait, graph, wide, process, tenant
  --help       this text

Progress goes to stderr. Exit code 0 whether or not targets are met (it is a measurement);
2 on bad usage.`;

const GROUPS = ['startup', 'first', 'noop', 'epoch', 'memory', 'host', 'faults', 'lockwait', 'graph', 'wide', 'process', 'tenant'] as const;
type Group = (typeof GROUPS)[number];

interface Options {
  readonly smoke: boolean;
  readonly json: boolean;
  readonly clone: boolean;
  readonly only: ReadonlySet<Group>;
}

interface Config {
  readonly scale: readonly [number, number, number];
  readonly migrate: number;
  readonly memory: number;
  readonly host: HostLoadConfig;
  readonly faults: HostFaultsConfig;
  readonly lockwait: MigrateLoadConfig;
  readonly graph: GraphPageConfig;
  readonly wide: WideMigrateConfig;
  readonly process: WholeProcessConfig;
  readonly tenant: TenantLifeConfig;
  readonly epoch: NoopEpochConfig;
  readonly plans: {
    readonly startup: Plan;
    readonly startupLarge: Plan;
    readonly firstMigrate: Plan;
    readonly noop: Plan;
    readonly memory: Plan;
  };
}

const FULL: Config = {
  scale: [10, 100, 1000],
  migrate: 100,
  memory: 1000,
  host: { clients: 8, requestsPerClient: 10_000, rounds: 10, warmupPerClient: 200, workspaces: 100, poolMax: 8 },
  faults: { clients: 4, workspaces: 24, deadlineMs: 5_000, rounds: 3, steadyMs: 2_000 },
  lockwait: { readerSeconds: 15, clients: 4 },
  graph: { packages: 100, plan: { warmup: 1, runs: 7, minRuns: 3, budgetMs: 20_000 } },
  wide: { packages: 1000, baselinePackages: 100, plan: { warmup: 0, runs: 3, minRuns: 1, budgetMs: 60_000 } },
  process: { migrateSizes: [3, 100], checkSize: 100, plan: { warmup: 1, runs: 11, minRuns: 7, budgetMs: 20_000 } },
  tenant: { rows: 100_000, runs: 3 },
  epoch: { small: 100, large: 1000, plan: { warmup: 3, runs: 21, minRuns: 7, budgetMs: 10_000 } },
  plans: {
    startup: { warmup: 3, runs: 21, minRuns: 7, budgetMs: 10_000 },
    startupLarge: { warmup: 1, runs: 7, minRuns: 3, budgetMs: 20_000 },
    firstMigrate: { warmup: 1, runs: 5, minRuns: 3, budgetMs: 60_000 },
    noop: { warmup: 3, runs: 21, minRuns: 7, budgetMs: 10_000 },
    memory: { warmup: 0, runs: 3, minRuns: 1, budgetMs: 60_000 },
  },
};

const SMOKE: Config = {
  scale: [1, 10, 100],
  migrate: 5,
  memory: 100,
  host: { clients: 8, requestsPerClient: 25, rounds: 1, warmupPerClient: 5, workspaces: 100, poolMax: 8 },
  faults: { clients: 2, workspaces: 4, deadlineMs: 2_000, rounds: 1, steadyMs: 300 },
  lockwait: { readerSeconds: 4, clients: 2 },
  graph: { packages: 10, plan: { warmup: 1, runs: 2, minRuns: 2, budgetMs: 0 } },
  wide: { packages: 10, baselinePackages: 1, plan: { warmup: 0, runs: 1, minRuns: 1, budgetMs: 0 } },
  process: { migrateSizes: [3], checkSize: 3, plan: { warmup: 0, runs: 1, minRuns: 1, budgetMs: 0 } },
  tenant: { rows: 2_000, runs: 1 },
  epoch: { small: 3, large: 10, plan: { warmup: 1, runs: 5, minRuns: 3, budgetMs: 500 } },
  plans: {
    startup: { warmup: 1, runs: 5, minRuns: 3, budgetMs: 1_000 },
    startupLarge: { warmup: 1, runs: 3, minRuns: 2, budgetMs: 2_000 },
    firstMigrate: { warmup: 1, runs: 2, minRuns: 2, budgetMs: 5_000 },
    noop: { warmup: 2, runs: 7, minRuns: 3, budgetMs: 1_000 },
    memory: { warmup: 0, runs: 1, minRuns: 1, budgetMs: 0 },
  },
};

function usage(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

function parseOptions(argv: readonly string[]): Options {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    process.exit(0);
  }
  const flags = new Set<string>();
  let only: Set<Group> = new Set(GROUPS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) usage('--only needs a list of groups.');
      const groups = value.split(',').map((g) => g.trim());
      const bad = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
      if (bad.length > 0) usage(`Unknown group ${bad.join(', ')} in --only (groups: ${GROUPS.join(', ')}).`);
      only = new Set(groups as Group[]);
    } else if (['--smoke', '--json', '--no-clone'].includes(arg)) {
      flags.add(arg);
    } else {
      usage(`Unknown option ${arg}.`);
    }
  }
  return { smoke: flags.has('--smoke'), json: flags.has('--json'), clone: !flags.has('--no-clone'), only };
}

const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;
const startedAt = performance.now();
const progress = (line: string) => process.stderr.write(`[bench ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const ms = (s: Samples) => `${s.median.toFixed(1)} ms`;

/** The registry start vs one getTableConfig pass over the same tables, alternately; results checked after the clock stops. */
async function measureStartup(packages: readonly SyntheticPackage[], plan: Plan): Promise<[Samples, Samples]> {
  const timed = <T>(work: () => T, check: (result: T) => void) => async () => {
    gc?.(true);
    const started = performance.now();
    const outcome = work();
    const elapsed = performance.now() - started;
    check(outcome);
    return elapsed;
  };
  return samplePair(
    plan,
    timed(
      () => startRegistry(packages),
      (registry) => {
        const accepted = registry.list();
        if (accepted.length !== packages.length) throw new Error(`the registry accepted ${accepted.length} of ${packages.length} packages`);
        const warnings = accepted.reduce((n, p) => n + p.warnings.length, 0);
        if (warnings > 0) throw new Error(`the synthetic packages drew ${warnings} warnings; they must be clean`);
      },
    ),
    timed(
      () => getTableConfigPass(packages),
      (columns) => {
        if (columns !== packages.length * TABLES_PER_PACKAGE * 5) throw new Error(`unexpected column count ${columns}`);
      },
    ),
  );
}

/** Registry start at every scale size, and the startup and scale rows. */
async function startupRows(ddl: readonly string[], config: Config): Promise<Result[]> {
  const [small, middle, large] = config.scale;
  const startups = new Map<number, [Samples, Samples]>();
  for (const size of config.scale) {
    const packages = syntheticPackages(ddl.slice(0, size));
    const plan = size === large ? config.plans.startupLarge : config.plans.startup;
    progress(`startup with ${size} packages (${size * TABLES_PER_PACKAGE} tables)…`);
    const pair = await measureStartup(packages, plan);
    progress(`  registry ${ms(pair[0])}, getTableConfig pass ${ms(pair[1])} (${pair[0].samples.length} runs)`);
    startups.set(size, pair);
  }
  const [ours, floor] = startups.get(middle)!;
  const rows: Result[] = [
    result({
      name: `startup (${middle} pkgs × ${TABLES_PER_PACKAGE} tables)`,
      value: ours.median,
      baseline: floor.median,
      target: 4.0,
      targetOf: 'ratio',
      unit: 'ms',
      baselineIs: 'getTableConfig pass',
      samples: ours.samples,
      baselineSamples: floor.samples,
    }),
  ];
  for (const size of config.scale) {
    const [o, f] = startups.get(size)!;
    rows.push(
      result({
        name: `scale ${size} pkgs`,
        value: o.median,
        baseline: f.median,
        target: null,
        targetOf: null,
        unit: 'ms',
        baselineIs: 'getTableConfig pass',
        samples: o.samples,
        baselineSamples: f.samples,
      }),
    );
  }
  const growth = (a: number, b: number) => ({
    value: startups.get(a)![0].median / startups.get(b)![0].median,
    baseline: startups.get(a)![1].median / startups.get(b)![1].median,
  });
  rows.push(result({ name: `scale ${large}/${middle}`, ...growth(large, middle), target: 11, targetOf: 'value', unit: '×', baselineIs: 'floor growth' }));
  rows.push(result({ name: `scale ${middle}/${small}`, ...growth(middle, small), target: null, targetOf: null, unit: '×', baselineIs: 'floor growth' }));
  return rows;
}

/** migrateDatabase into a fresh PGlite vs the same DDL as one script, each on its own fresh instance. */
async function firstMigrateRows(fixture: MigrateFixture, dbs: FreshDatabases, plan: Plan, clone: boolean): Promise<Result[]> {
  const { registry, packageCount, expectedTables } = fixture;
  const script = fixture.migrations.map((m) => m.sql).join('\n');
  progress(`first migrate of ${packageCount} packages (${expectedTables} tables), fresh PGlite each run (${clone ? 'clones of a fresh template' : 'PGlite.create()'})…`);
  const [ours, base] = await samplePair(
    plan,
    async () => {
      const pg = await dbs.fresh();
      gc?.(true);
      const t = performance.now();
      const outcome = await migrateDatabase(pgliteClient(pg), registry, defaultRegistryConfig);
      const elapsed = performance.now() - t;
      if (outcome.applied.length !== fixture.migrations.length || outcome.drift.length > 0 || (await tableCount(pg)) !== expectedTables) {
        throw new Error(`migrateDatabase applied ${outcome.applied.length} packages with ${outcome.drift.length} drift`);
      }
      await dbs.close(pg);
      return elapsed;
    },
    async () => {
      const pg = await dbs.fresh();
      gc?.(true);
      const t = performance.now();
      await pg.exec(script);
      const elapsed = performance.now() - t;
      if ((await tableCount(pg)) !== expectedTables) throw new Error('the DDL script did not create every table');
      await dbs.close(pg);
      return elapsed;
    },
  );
  progress(`  migrateDatabase ${ms(ours)}, one pg.exec script ${ms(base)}`);
  return [
    result({
      name: `first migrate (${packageCount} pkgs)`,
      value: ours.median,
      baseline: base.median,
      target: 1.15,
      targetOf: 'ratio',
      unit: 'ms',
      baselineIs: 'DDL as one pg.exec',
      samples: ours.samples,
      baselineSamples: base.samples,
    }),
  ];
}

/** migrateDatabase with everything applied vs drizzle-orm's migrate() with the same migrations applied. */
async function noopRows(fixture: MigrateFixture, dbs: FreshDatabases, plan: Plan): Promise<Result[]> {
  const { registry, migrations, expectedTables } = fixture;
  const folder = drizzleMigrationsFolder(migrations);
  progress(`no-op migrate of ${migrations.length} applied migrations vs drizzle-orm's migrator…`);
  const ourPg = await dbs.fresh();
  const drizzlePg = await dbs.fresh();
  try {
    const client = pgliteClient(ourPg);
    await migrateDatabase(client, registry, defaultRegistryConfig);
    const db = drizzle({ client: drizzlePg });
    await drizzleMigrate(db, { migrationsFolder: folder.folder });
    const { rows } = await drizzlePg.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    if (rows[0]!.n !== migrations.length || (await tableCount(drizzlePg)) !== expectedTables) {
      throw new Error("drizzle's migrator did not apply every migration");
    }
    const [ours, theirs] = await samplePair(
      plan,
      async () => {
        gc?.(true);
        const t = performance.now();
        const outcome = await migrateDatabase(client, registry, defaultRegistryConfig);
        const elapsed = performance.now() - t;
        if (outcome.applied.length > 0 || outcome.drift.length > 0) throw new Error('the no-op migrate changed something');
        return elapsed;
      },
      async () => {
        gc?.(true);
        const t = performance.now();
        await drizzleMigrate(db, { migrationsFolder: folder.folder });
        return performance.now() - t;
      },
    );
    progress(`  migrateDatabase ${ms(ours)}, drizzle migrate() ${ms(theirs)}`);
    const common = {
      value: ours.median,
      baseline: theirs.median,
      unit: 'ms',
      baselineIs: "drizzle's migrate()",
      samples: ours.samples,
      baselineSamples: theirs.samples,
    };
    return [
      result({ ...common, name: `no-op migrate (${migrations.length} migrations)`, target: 1.0, targetOf: 'ratio' }),
      result({ ...common, name: 'no-op migrate, absolute', target: 50, targetOf: 'value' }),
    ];
  } finally {
    folder.rm();
    await dbs.close(ourPg);
    await dbs.close(drizzlePg);
  }
}

/** Peak RSS of a child starting the registry vs a child reading the same tables' configs. */
function memoryRows(ddl: readonly string[], count: number, plan: Plan, scratch: string): Result[] {
  const ddlFile = join(scratch, 'ddl.json');
  writeFileSync(ddlFile, JSON.stringify(ddl.slice(0, count)));
  progress(`peak RSS of a child process starting the registry with ${count} packages…`);
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  const peak = (mode: 'registry' | 'floor'): number => {
    const run = spawnSync(process.execPath, [child, mode, ddlFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`memory child (${mode}) failed: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { peakRss: number }).peakRss / 2 ** 20;
  };
  // Each run is a pair of fresh processes, so there is nothing to warm up; the budget is in wall time.
  const registryMb: number[] = [];
  const floorMb: number[] = [];
  const began = performance.now();
  for (let i = 0; i < plan.runs && (i < plan.minRuns || performance.now() - began <= plan.budgetMs); i++) {
    if (i % 2 === 0) {
      registryMb.push(peak('registry'));
      floorMb.push(peak('floor'));
    } else {
      floorMb.push(peak('floor'));
      registryMb.push(peak('registry'));
    }
  }
  const ours = summary(registryMb);
  const floor = summary(floorMb);
  progress(`  registry ${ours.median.toFixed(0)} MB, getTableConfig pass ${floor.median.toFixed(0)} MB`);
  return [
    result({
      name: `peak RSS (${count} pkgs, child)`,
      value: ours.median,
      baseline: floor.median,
      target: 1.3,
      targetOf: 'ratio',
      unit: 'MB',
      baselineIs: 'child: getTableConfig pass',
      samples: ours.samples,
      baselineSamples: floor.samples,
    }),
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = options.smoke ? SMOKE : FULL;
  const { only } = options;
  const sizes = [...(only.has('startup') ? config.scale : []), ...(only.has('first') || only.has('noop') ? [config.migrate] : []), ...(only.has('memory') ? [config.memory] : []), ...(only.has('wide') ? [config.wide.packages] : []), ...(only.has('epoch') ? [config.epoch.large] : [])];
  const results: Result[] = [];
  const dbs = new FreshDatabases(options.clone);
  const scratch = mkdtempSync(join(tmpdir(), 'ydtb-bench-'));
  try {
    const largest = Math.max(0, ...sizes);
    progress(`generating the DDL of ${largest} packages with drizzle-kit…`);
    const ddl = await generateDdl(largest);
    if (only.has('startup')) results.push(...(await startupRows(ddl, config)));
    if (only.has('first') || only.has('noop')) {
      const fixture = migrateFixture(ddl, config.migrate);
      if (only.has('first')) results.push(...(await firstMigrateRows(fixture, dbs, config.plans.firstMigrate, options.clone)));
      if (only.has('noop')) results.push(...(await noopRows(fixture, dbs, config.plans.noop)));
      await dbs.closeAll();
    }
    if (only.has('epoch')) results.push(...(await noopEpochRows(ddl, config.epoch, dbs, progress)));
    if (only.has('memory')) results.push(...memoryRows(ddl, config.memory, config.plans.memory, scratch));
    if (only.has('host')) results.push(...(await hostLoadRows(config.host, progress)));
    if (only.has('faults')) results.push(...(await hostFaultRows(config.faults, progress)));
    if (only.has('lockwait')) results.push(...(await migrateLoadRows(config.lockwait, progress)));
    if (only.has('graph')) results.push(...(await graphPageRows(config.graph, progress)));
    if (only.has('wide')) results.push(...(await wideMigrateRows(ddl, config.wide, dbs, progress)));
    if (only.has('process')) results.push(...(await wholeProcessRows(config.process, progress)));
    if (only.has('tenant')) results.push(...(await tenantLifeRows(config.tenant, progress)));
  } finally {
    await dbs.closeAll();
    rmSync(scratch, { recursive: true, force: true });
  }

  const meta = {
    mode: options.smoke ? 'smoke' : 'full',
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    runtime: `bun ${(process.versions as Record<string, string | undefined>).bun ?? '?'}`,
    pglite: options.clone ? 'clone of a fresh PGlite.create() template' : 'PGlite.create()',
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ results, meta }, null, 2)}\n`);
  } else {
    console.log(formatTable(results));
    console.log(`\n${meta.mode} run, ${meta.cores} cores (${meta.cpu}), ${meta.runtime}, PGlite: ${meta.pglite}; ${meta.seconds} s.`);
  }
}

await main();
