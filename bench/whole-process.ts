import { fileURLToPath } from 'node:url';
import { postgresClient } from '@ydtb/core';
import { startPostgresServer } from '../test/postgres-server';
import { cliProject, type CliProject } from './cli-project';
import { samplePair, summary, type Plan, type Samples } from './measure';
import { result, type Result } from './report';

/*
 * Whole processes, as an operator runs them: `ydtb db migrate` with nothing to do and `ydtb db
 * check`, each a fresh `bun packages/cli/bin/ydtb.ts …` process from a deployment folder
 * (bench/cli-project.ts), against the baselines a drizzle project runs: a script calling
 * drizzle-orm's migrate() (bench/drizzle-migrate-child.ts) and `drizzle-kit check`. Each figure
 * is the wall time from spawning the process to its exit: imports, validation, connection and
 * work. Ours and the baseline alternate process by process.
 */

export interface WholeProcessConfig {
  /** Installed packages of the no-op migrate rows (core comes on top). */
  readonly migrateSizes: readonly number[];
  readonly checkSize: number;
  readonly plan: Plan;
}

const ydtb = fileURLToPath(new URL('../packages/cli/bin/ydtb.ts', import.meta.url));
const drizzleMigrate = fileURLToPath(new URL('./drizzle-migrate-child.ts', import.meta.url));
const drizzleKit = fileURLToPath(new URL('../node_modules/drizzle-kit/bin.cjs', import.meta.url));

interface Run {
  readonly ms: number;
  /** User and system CPU time of the process: less sensitive than wall time to other jobs on the machine. */
  readonly cpuMs: number;
  readonly output: string;
}

/** Bun's spawnSync, which also reports the child's CPU time (the bench runs on Bun; the repository has no Bun types). */
interface SpawnedSync {
  readonly exitCode: number | null;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly resourceUsage: { readonly cpuTime: { readonly total: bigint } };
}
const bun = (globalThis as unknown as { Bun: { spawnSync(command: string[], options: { cwd: string; env: Record<string, string | undefined>; stdout: 'pipe'; stderr: 'pipe' }): SpawnedSync } }).Bun;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** One process, timed from spawn to exit; a failure stops the bench with its output. */
function runProcess(args: readonly string[], cwd: string, env: Record<string, string | undefined>, expect: (output: string) => boolean): Run {
  const started = performance.now();
  const child = bun.spawnSync([process.execPath, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdout: 'pipe', stderr: 'pipe' });
  const ms = performance.now() - started;
  const output = `${text(child.stdout)}${text(child.stderr)}`;
  if (child.exitCode !== 0 || !expect(output)) throw new Error(`${args.join(' ')} (in ${cwd}) exited ${child.exitCode}:\n${output.slice(-2000)}`);
  return { ms, cpuMs: Number(child.resourceUsage.cpuTime.total) / 1000, output };
}

/** Wall times for the row; CPU times for the progress line and an information row. */
async function timedPair(plan: Plan, ours: () => Run, theirs: () => Run): Promise<{ wall: [Samples, Samples]; cpu: [Samples, Samples] }> {
  const cpu: [number[], number[]] = [[], []];
  const wall = await samplePair(
    plan,
    async (i) => {
      const run = ours();
      if (i >= 0) cpu[0].push(run.cpuMs);
      return run.ms;
    },
    async (i) => {
      const run = theirs();
      if (i >= 0) cpu[1].push(run.cpuMs);
      return run.ms;
    },
  );
  return { wall, cpu: [summary(cpu[0]), summary(cpu[1])] };
}

export async function wholeProcessRows(config: WholeProcessConfig, progress: (line: string) => void): Promise<Result[]> {
  progress('whole process: starting a PostgreSQL server, writing deployments…');
  const server = await startPostgresServer();
  const projects: CliProject[] = [];
  const rows: Result[] = [];
  try {
    for (const size of config.migrateSizes) {
      const project = await cliProject(size);
      projects.push(project);
      rows.push(...(await noopMigrateRows(project, server.url, size, config.plan, progress)));
    }
    const checked = projects.find((p) => p.packageCount === config.checkSize) ?? (await cliProject(config.checkSize));
    if (!projects.includes(checked)) projects.push(checked);
    rows.push(...(await checkRows(checked, config.plan, progress)));
    return rows;
  } finally {
    for (const project of projects) project.rm();
    await server.stop();
  }
}

async function noopMigrateRows(project: CliProject, serverUrl: string, size: number, plan: Plan, progress: (line: string) => void): Promise<Result[]> {
  const ours = await createDatabase(serverUrl, `ydtb_wp_${size}`);
  const theirs = await createDatabase(serverUrl, `ydtb_wp_${size}_drizzle`);
  const migrate = () => runProcess([ydtb, 'db', 'migrate'], project.dir, { DATABASE_URL: ours }, (out) => out.includes('Verified:'));
  const drizzle = () => runProcess([drizzleMigrate, theirs, project.drizzleFolder], project.dir, {}, () => true);
  progress(`  first migrate of ${size} packages (untimed), then no-op \`ydtb db migrate\` vs drizzle's migrator script, alternately…`);
  if (!migrate().output.includes(`Migrated: ${size + 1} migrations`)) throw new Error('the first ydtb db migrate did not apply every migration');
  drizzle();
  const noop = (out: string) => out.includes('Nothing to migrate');
  const { wall, cpu } = await timedPair(plan, () => runProcess([ydtb, 'db', 'migrate'], project.dir, { DATABASE_URL: ours }, noop), drizzle);
  const [a, b] = wall;
  progress(
    `  ydtb db migrate ${a.median.toFixed(0)} ms (CPU ${cpu[0].median.toFixed(0)} ms), drizzle migrate() script ${b.median.toFixed(0)} ms (CPU ${cpu[1].median.toFixed(0)} ms) (${a.samples.length} runs)`,
  );
  const cpuRow = result({
    name: `  the same, CPU time (${size} pkgs)`,
    value: cpu[0].median,
    baseline: cpu[1].median,
    target: null,
    targetOf: null,
    unit: 'ms',
    baselineIs: "process: drizzle's migrate() script",
  });
  return [result({
    name: `whole-process no-op migrate (${size} pkgs, PostgreSQL)`,
    value: a.median,
    baseline: b.median,
    target: 1.5,
    targetOf: 'ratio',
    unit: 'ms',
    baselineIs: "process: drizzle's migrate() script",
    samples: a.samples,
    baselineSamples: b.samples,
  }), cpuRow];
}

async function checkRows(project: CliProject, plan: Plan, progress: (line: string) => void): Promise<Result[]> {
  const size = project.packageCount;
  const ok = (out: string) => out.startsWith(`OK: ${size + 1} packages valid`);
  const fine = (out: string) => out.includes("Everything's fine");
  progress(`  \`ydtb db check\` vs \`drizzle-kit check\`, ${size} packages, unchanged schemas, alternately…`);
  const { wall, cpu } = await timedPair(
    plan,
    () => runProcess([ydtb, 'db', 'check'], project.dir, { DATABASE_URL: undefined }, ok),
    () => runProcess([drizzleKit, 'check'], project.drizzleConfigDir, {}, fine),
  );
  const [a, b] = wall;
  progress(
    `  ydtb db check ${a.median.toFixed(0)} ms (CPU ${cpu[0].median.toFixed(0)} ms), drizzle-kit check ${b.median.toFixed(0)} ms (CPU ${cpu[1].median.toFixed(0)} ms) (${a.samples.length} runs)`,
  );
  const common = { value: a.median, baseline: b.median, unit: 'ms', baselineIs: 'process: drizzle-kit check', samples: a.samples, baselineSamples: b.samples };
  return [
    result({ ...common, name: `whole-process db check (${size} pkgs)`, target: 1.0, targetOf: 'ratio' }),
    result({ ...common, name: 'whole-process db check, absolute', target: 700, targetOf: 'value' }),
    result({ name: `  the same, CPU time (${size} pkgs)`, value: cpu[0].median, baseline: cpu[1].median, target: null, targetOf: null, unit: 'ms', baselineIs: 'process: drizzle-kit check' }),
  ];
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = postgresClient(serverUrl);
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}
