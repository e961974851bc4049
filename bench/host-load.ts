import { fileURLToPath } from 'node:url';
import { postgresClient } from '@ydtb/core';
import { prepareAppDatabase } from '../apps/example-host/src/fixtures/app-database';
import { spawnHost, type RunningHost } from '../apps/example-host/src/fixtures/spawn-host';
import type { PooledConnection } from '../apps/example-host/src/pool-check';
import { startPostgresServer } from '../test/postgres-server';
import { runLoad, type LoadOutcome } from './load-clients';
import { percentile } from './measure';
import { result, type Result } from './report';

export interface HostLoadConfig {
  readonly clients: number;
  readonly requestsPerClient: number;
  /** The requests of each client are split into this many rounds, host and baseline alternating. */
  readonly rounds: number;
  /** Untimed requests per client on each server first. */
  readonly warmupPerClient: number;
  readonly workspaces: number;
  readonly poolMax: number;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Contender {
  readonly host: RunningHost;
  /** The role its pooled connections must show between requests. */
  readonly role: string;
  readonly outcomes: LoadOutcome[];
  leaked: number;
}

/** Connections of the pool that carry a workspace or another role than their login role. */
async function leakedSettings(contender: Contender): Promise<number> {
  const response = await fetch(`${contender.host.url}/health/pool`);
  const { connections } = (await response.json()) as { connections: PooledConnection[] };
  return connections.filter((c) => (c.workspace ?? '') !== '' || c.role !== contender.role).length;
}

/**
 * The example host (withWorkspace, a login role granted ydtb_app, pooled) against the same routes
 * and queries without withWorkspace (owner connection, WHERE workspace_id = …), on one real
 * PostgreSQL server started for the run, both as their own processes with the same pool size.
 */
export async function hostLoadRows(config: HostLoadConfig, progress: (line: string) => void): Promise<Result[]> {
  progress(`host load: starting a PostgreSQL server, migrating, ${config.workspaces} workspaces…`);
  const server = await startPostgresServer();
  const hosts: RunningHost[] = [];
  try {
    const admin = postgresClient(server.url);
    await admin.exec('CREATE DATABASE ydtb_bench');
    await admin.close();
    const ownerUrl = server.url.replace(/\/postgres$/, '/ydtb_bench');
    const workspaces = Array.from({ length: config.workspaces }, (_, i) => `w${String(i).padStart(3, '0')}`);
    const app = await prepareAppDatabase(ownerUrl, workspaces);
    const pool = String(config.poolMax);
    const isolated: Contender = { host: await spawnHost({ DATABASE_URL: app.appUrl, DATABASE_POOL_MAX: pool }), role: app.loginRole, outcomes: [], leaked: 0 };
    hosts.push(isolated.host);
    const baseline: Contender = {
      host: await spawnHost({ DATABASE_URL: ownerUrl, DATABASE_POOL_MAX: pool }, { entry: 'bench/unisolated-host.ts', cwd: repoRoot }),
      role: new URL(ownerUrl).username,
      outcomes: [],
      leaked: 0,
    };
    hosts.push(baseline.host);

    const load = (contender: Contender, requestsPerClient: number, round: number) =>
      runLoad(contender.host.url, { clients: config.clients, requestsPerClient, workspaces, round });
    progress(`  warm-up: ${config.clients} clients × ${config.warmupPerClient} requests on each…`);
    await load(isolated, config.warmupPerClient, 0);
    await load(baseline, config.warmupPerClient, 0);
    const perRound = Math.ceil(config.requestsPerClient / config.rounds);
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? [isolated, baseline] : [baseline, isolated];
      for (const contender of order) {
        contender.outcomes.push(await load(contender, perRound, round));
        contender.leaked += await leakedSettings(contender);
      }
      progress(`  round ${round + 1}/${config.rounds}: ${config.clients} clients × ${perRound} requests on each`);
    }

    const figures = (contender: Contender) => {
      const latencies = contender.outcomes.flatMap((o) => o.latencies);
      const requests = contender.outcomes.reduce((n, o) => n + o.requests, 0);
      const wallMs = contender.outcomes.reduce((n, o) => n + o.wallMs, 0);
      return {
        throughput: requests / (wallMs / 1000),
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        foreign: contender.outcomes.reduce((n, o) => n + o.foreignRows, 0),
        rowsSeen: contender.outcomes.reduce((n, o) => n + o.rowsSeen, 0),
        requests,
      };
    };
    const ours = figures(isolated);
    const base = figures(baseline);
    progress(
      `  withWorkspace ${ours.throughput.toFixed(0)} req/s (p50 ${ours.p50.toFixed(2)} ms, p99 ${ours.p99.toFixed(2)} ms); ` +
        `without ${base.throughput.toFixed(0)} req/s (p50 ${base.p50.toFixed(2)} ms, p99 ${base.p99.toFixed(2)} ms); ` +
        `${ours.rowsSeen} rows checked, ${ours.foreign} of another workspace, ${isolated.leaked} settings left`,
    );
    const size = `${config.clients} clients × ${config.requestsPerClient}, ${config.workspaces} ws`;
    const baselineIs = 'same queries without withWorkspace';
    return [
      result({ name: `host throughput (${size})`, value: ours.throughput, baseline: base.throughput, target: null, targetOf: null, unit: 'req/s', baselineIs }),
      result({ name: 'host p50 latency', value: ours.p50, baseline: base.p50, target: 2.0, targetOf: 'ratio', unit: 'ms', baselineIs }),
      result({ name: 'host p99 latency', value: ours.p99, baseline: base.p99, target: null, targetOf: null, unit: 'ms', baselineIs }),
      result({ name: `host rows of another workspace (of ${ours.rowsSeen})`, value: ours.foreign, baseline: base.foreign, target: 0, targetOf: 'value', unit: 'rows', baselineIs }),
      result({ name: 'host settings left on pooled connections', value: isolated.leaked, baseline: baseline.leaked, target: 0, targetOf: 'value', unit: 'conns', baselineIs }),
    ];
  } finally {
    for (const host of hosts) await host.stop();
    await server.stop();
  }
}
