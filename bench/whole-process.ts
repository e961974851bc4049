import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { postgresClient } from '@ydtb/core';
import { startPostgresServer } from '../test/postgres-server';
import { cliProject, type CliProject } from './cli-project';
import { samplePair, type Plan } from './measure';
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
  readonly output: string;
}

/** One process, timed from spawn to exit; a failure stops the bench with its output. */
function runProcess(args: readonly string[], cwd: string, env: Record<string, string | undefined>, expect: (output: string) => boolean): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...args], { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - started;
  const output = `${child.stdout}${child.stderr}`;
  if (child.status !== 0 || !expect(output)) throw new Error(`${args.join(' ')} (in ${cwd}) exited ${child.status}:\n${output.slice(-2000)}`);
  return { ms, output };
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
      rows.push(await noopMigrateRow(project, server.url, size, config.plan, progress));
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

async function noopMigrateRow(project: CliProject, serverUrl: string, size: number, plan: Plan, progress: (line: string) => void): Promise<Result> {
  const ours = await createDatabase(serverUrl, `ydtb_wp_${size}`);
  const theirs = await createDatabase(serverUrl, `ydtb_wp_${size}_drizzle`);
  const migrate = () => runProcess([ydtb, 'db', 'migrate'], project.dir, { DATABASE_URL: ours }, (out) => out.includes('Verified:'));
  const drizzle = () => runProcess([drizzleMigrate, theirs, project.drizzleFolder], project.dir, {}, () => true);
  progress(`  first migrate of ${size} packages (untimed), then no-op \`ydtb db migrate\` vs drizzle's migrator script, alternately…`);
  if (!migrate().output.includes(`Migrated: ${size + 1} migrations`)) throw new Error('the first ydtb db migrate did not apply every migration');
  drizzle();
  const noop = (out: string) => out.includes('Nothing to migrate');
  const [a, b] = await samplePair(
    plan,
    async () => runProcess([ydtb, 'db', 'migrate'], project.dir, { DATABASE_URL: ours }, noop).ms,
    async () => drizzle().ms,
  );
  progress(`  ydtb db migrate ${a.median.toFixed(0)} ms, drizzle migrate() script ${b.median.toFixed(0)} ms (${a.samples.length} runs)`);
  return result({
    name: `whole-process no-op migrate (${size} pkgs, PostgreSQL)`,
    value: a.median,
    baseline: b.median,
    target: 1.5,
    targetOf: 'ratio',
    unit: 'ms',
    baselineIs: "process: drizzle's migrate() script",
    samples: a.samples,
    baselineSamples: b.samples,
  });
}

async function checkRows(project: CliProject, plan: Plan, progress: (line: string) => void): Promise<Result[]> {
  const size = project.packageCount;
  const ok = (out: string) => out.startsWith(`OK: ${size + 1} packages valid`);
  const fine = (out: string) => out.includes("Everything's fine");
  progress(`  \`ydtb db check\` vs \`drizzle-kit check\`, ${size} packages, unchanged schemas, alternately…`);
  const [a, b] = await samplePair(
    plan,
    async () => runProcess([ydtb, 'db', 'check'], project.dir, { DATABASE_URL: undefined }, ok).ms,
    async () => runProcess([drizzleKit, 'check'], project.drizzleConfigDir, {}, fine).ms,
  );
  progress(`  ydtb db check ${a.median.toFixed(0)} ms, drizzle-kit check ${b.median.toFixed(0)} ms (${a.samples.length} runs)`);
  const common = { value: a.median, baseline: b.median, unit: 'ms', baselineIs: 'process: drizzle-kit check', samples: a.samples, baselineSamples: b.samples };
  return [
    result({ ...common, name: `whole-process db check (${size} pkgs)`, target: 1.0, targetOf: 'ratio' }),
    result({ ...common, name: 'whole-process db check, absolute', target: 700, targetOf: 'value' }),
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
