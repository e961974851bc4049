import postgres from 'postgres';
import { createContainer, DatabaseRegistry, defaultRegistryConfig, migrateDatabase, postgresClient, type SessionSettings } from '@ydtb/core';
import { prepareAppDatabase } from '../apps/example-host/src/fixtures/app-database';
import { spawnHost } from '../apps/example-host/src/fixtures/spawn-host';
import { installedPackages } from '../apps/example-host/src/packages';
import { startPostgresServer, type PostgresServer } from '../test/postgres-server';
import { result, type Result } from './report';

export interface MigrateLoadConfig {
  /** How long the reader holds its transaction open on the table the migration alters. */
  readonly readerSeconds: number;
  readonly clients: number;
}

/** `ydtb db migrate`'s lock_timeout on a server (YDTB_LOCK_TIMEOUT's default). */
const CLI_LOCK_TIMEOUT_MS = 3_000;
const WORKSPACES = ['m0', 'm1', 'm2', 'm3'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  /** Until the migration was applied, or gave up. */
  readonly migrateMs: number;
  readonly applied: boolean;
  /** The longest time, from the migration's start to its end, in which no request of the host was answered 2xx. */
  readonly longestOutageMs: number;
  readonly slowestMs: number;
  readonly requests: number;
}

/**
 * `migrateDatabase` (what `ydtb db migrate` runs) applies a pending `ALTER TABLE ydtb_basic_notes
 * ADD COLUMN` while a reader holds a transaction open on that table for `readerSeconds`, and HTTP
 * clients load the example host (GET and POST on the same table). Ours: the session's
 * lock_timeout as the CLI sets it, and the migrator's retries. Baseline: the same migrate on a
 * session without lock_timeout, as `db migrate` ran before. Each on a database of its own.
 */
export async function migrateLoadRows(config: MigrateLoadConfig, progress: (line: string) => void): Promise<Result[]> {
  progress('migrate under load: starting a PostgreSQL server…');
  const server = await startPostgresServer();
  try {
    progress(`migrate under load: behind a ${config.readerSeconds} s reader, with lock_timeout ${CLI_LOCK_TIMEOUT_MS} ms…`);
    const ours = await scenario(server, 'ours', { lockTimeoutMs: CLI_LOCK_TIMEOUT_MS }, config);
    progress(`migrate under load: behind a ${config.readerSeconds} s reader, without lock_timeout…`);
    const before = await scenario(server, 'before', {}, config);
    const reader = `${config.readerSeconds} s reader`;
    const baselineIs = 'the same migrate without lock_timeout';
    return [
      result({ name: `migrate behind a ${reader}: longest host outage`, value: ours.longestOutageMs, baseline: before.longestOutageMs, target: CLI_LOCK_TIMEOUT_MS + 1_000, targetOf: 'value', unit: 'ms', baselineIs }),
      result({ name: `migrate behind a ${reader}: slowest host answer (of ${ours.requests})`, value: ours.slowestMs, baseline: before.slowestMs, target: null, targetOf: null, unit: 'ms', baselineIs }),
      result({
        name: `migrate behind a ${reader}: ${ours.applied ? 'applied' : 'gave up'} after`,
        value: ours.migrateMs,
        baseline: before.migrateMs,
        target: null,
        targetOf: null,
        unit: 'ms',
        baselineIs,
      }),
    ];
  } finally {
    await server.stop();
  }
}

async function scenario(server: PostgresServer, name: string, settings: SessionSettings, config: MigrateLoadConfig): Promise<Scenario> {
  const admin = postgres(server.url, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const app = await prepareAppDatabase(url.toString(), WORKSPACES);
  const host = await spawnHost({ DATABASE_URL: app.appUrl });
  const reader = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  const migrator = postgresClient(url.toString(), 10, settings);
  try {
    const outcomes: { ok: boolean; startedAt: number; endedAt: number }[] = [];
    let stopped = false;
    const client = async (c: number) => {
      for (let i = 0; !stopped; i++) {
        const workspace = WORKSPACES[(c + i) % WORKSPACES.length]!;
        const post = i % 2 === 0;
        const startedAt = performance.now();
        const ok = await fetch(`${host.url}/w/${workspace}/notes`, { method: post ? 'POST' : 'GET', body: post ? JSON.stringify({ title: `${workspace}:${c}.${i}` }) : undefined })
          .then(async (response) => (await response.arrayBuffer(), response.ok))
          .catch(() => false);
        outcomes.push({ ok, startedAt, endedAt: performance.now() });
        if (!ok) await sleep(20);
      }
    };
    const load = Array.from({ length: config.clients }, (_, c) => client(c));
    await sleep(500);

    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    const holding = reader.begin(async (tx) => {
      await tx`SELECT count(*) FROM ydtb_basic_notes`;
      reading();
      await sleep(config.readerSeconds * 1000);
    });
    await read;
    const started = performance.now();
    const applied = await migrateDatabase(migrator, withPendingAlter(), defaultRegistryConfig).then(
      (done) => done.applied.length > 0,
      () => false,
    );
    const ended = performance.now();
    await holding;
    await sleep(300);
    stopped = true;
    await Promise.all(load);

    // Gaps between answers: from the migrate's start, over each 2xx, to the first 2xx after its end.
    const successes = outcomes.filter((o) => o.ok && o.endedAt >= started).map((o) => o.endedAt).sort((a, b) => a - b);
    const after = successes.find((at) => at > ended) ?? ended;
    const points = [started, ...successes.filter((at) => at <= ended), after];
    const longestOutageMs = Math.max(...points.slice(1).map((at, i) => at - points[i]!));
    const during = outcomes.filter((o) => o.endedAt >= started && o.startedAt <= ended);
    return {
      migrateMs: ended - started,
      applied,
      longestOutageMs,
      slowestMs: Math.max(0, ...during.map((o) => o.endedAt - o.startedAt)),
      requests: during.length,
    };
  } finally {
    await migrator.close();
    await reader.end({ timeout: 1 });
    await host.stop();
  }
}

/** The installed packages, @ydtb/basic with one more migration: a column added to the notes the host serves. */
function withPendingAlter(): DatabaseRegistry {
  const installed = createContainer(installedPackages).get(DatabaseRegistry).list().map((pkg) => pkg.registration);
  const registry = createContainer().get(DatabaseRegistry);
  for (const registration of installed) {
    registry.register(
      registration.packageName === '@ydtb/basic'
        ? { ...registration, migrations: [...(registration.migrations ?? []), { id: '0002_bench_column', sql: 'ALTER TABLE ydtb_basic_notes ADD COLUMN bench_column text;' }] }
        : registration,
    );
  }
  return registry;
}
