import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { createContainer, DatabaseRegistry, defaultRegistryConfig, eraseWorkspace, migrateDatabase, postgresClient, type SqlClient } from '@ydtb/core';
import { startPostgresServer } from '../test/postgres-server';
import { median } from './measure';
import { result, type Result } from './report';

export interface TenantLifeConfig {
  /** Rows of the exported and erased workspace, spread evenly over the four example tables. */
  readonly rows: number;
  /** Timed runs of each contender (after one warm-up). */
  readonly runs: number;
}

const WORKSPACE = 'bench_ws';
const OTHER = 'bench_other';
const child = fileURLToPath(new URL('./tenant-child.ts', import.meta.url));

/** `rows` rows of one workspace over @ydtb/basic's and @ydtb/crm's four tables, and a few of another one. */
async function seed(client: SqlClient, workspaceId: string, rows: number): Promise<void> {
  const each = Math.floor(rows / 4);
  // Ids computed from the row number, so the link tables need no join to find their rows.
  const note = (i: string) => `md5('${workspaceId}/note/' || ${i})::uuid`;
  const contact = (i: string) => `md5('${workspaceId}/contact/' || ${i})::uuid`;
  await client.exec(`
    INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('${workspaceId}', 'Bench', '${workspaceId}') ON CONFLICT DO NOTHING;
    INSERT INTO ydtb_basic_notes (workspace_id, id, title, body, created_at)
      SELECT '${workspaceId}', ${note('i')}, 'note ' || i, repeat('body of a note ', 4), timestamptz '2024-01-01' + i * interval '1 second' FROM generate_series(1, ${each}) i;
    INSERT INTO ydtb_basic_note_tags (workspace_id, note_id, tag) SELECT '${workspaceId}', ${note('i')}, 'tag' FROM generate_series(1, ${each}) i;
    INSERT INTO ydtb_crm_contacts (workspace_id, id, name, email) SELECT '${workspaceId}', ${contact('i')}, 'contact ' || i, 'c' || i || '@example.test' FROM generate_series(1, ${each}) i;
    INSERT INTO ydtb_crm_contact_notes (workspace_id, contact_id, note_id) SELECT '${workspaceId}', ${contact('i')}, ${note('i')} FROM generate_series(1, ${each}) i;
    ANALYZE;`);
}

/**
 * The workspace's rows deleted children first, in one transaction, as the tables' owner: the
 * baseline. Children first matters: ydtb_crm_contact_notes has no index led by
 * (workspace_id, note_id), so a cascade from each deleted note would scan the link table.
 */
async function plainDeletes(client: SqlClient): Promise<void> {
  await client.transaction(async (tx) => {
    for (const table of ['ydtb_crm_contact_notes', 'ydtb_crm_contacts', 'ydtb_basic_note_tags', 'ydtb_basic_notes', 'ydtb_workspace_members']) {
      await tx.exec(`DELETE FROM ${table} WHERE workspace_id = '${WORKSPACE}'`);
    }
    await tx.exec(`DELETE FROM ydtb_workspaces WHERE id = '${WORKSPACE}'`);
  });
}

interface ChildRun {
  readonly ms: number;
  readonly rows: number;
  readonly bytes: number;
  readonly peakRss: number;
}

function runChild(mode: 'export' | 'copy', url: string, dir: string): ChildRun {
  const run = spawnSync(process.execPath, [child, mode, url, WORKSPACE, dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tenant child (${mode}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildRun;
}

/**
 * Export and erase of one workspace of `rows` rows on a PostgreSQL server started for the run:
 * ydtb workspace export (a child process, for its own peak RSS) against COPY (SELECT … WHERE
 * workspace_id = …) TO STDOUT of the same tables into files, and ydtb workspace erase against
 * the plain DELETEs of the same rows in one transaction.
 */
export async function tenantLifeRows(config: TenantLifeConfig, progress: (line: string) => void): Promise<Result[]> {
  progress(`tenant life cycle: starting a PostgreSQL server, migrating, ${config.rows.toLocaleString('en')} rows…`);
  const server = await startPostgresServer();
  const scratch = mkdtempSync(join(tmpdir(), 'ydtb-bench-tenant-'));
  const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  try {
    const admin = postgresClient(server.url);
    await admin.exec('CREATE DATABASE ydtb_tenant_bench');
    await admin.close();
    const url = server.url.replace(/\/postgres$/, '/ydtb_tenant_bench');
    const client = postgresClient(url);
    try {
      await migrateDatabase(client, registry, defaultRegistryConfig);
      await seed(client, OTHER, 400);
      await seed(client, WORKSPACE, config.rows);
      const exports: ChildRun[] = [];
      const copies: ChildRun[] = [];
      for (let i = -1; i < config.runs; i++) {
        // Alternate which goes first, so drift in machine load hits both alike.
        const pair = i % 2 === 0 ? (['copy', 'export'] as const) : (['export', 'copy'] as const);
        for (const mode of pair) {
          const out = runChild(mode, url, join(scratch, `${mode}-${i + 1}`));
          if (i >= 0) (mode === 'export' ? exports : copies).push(out);
        }
      }
      const rows = exports[0]!.rows;
      progress(`  export ${median(exports.map((e) => e.ms)).toFixed(0)} ms, COPY ${median(copies.map((c) => c.ms)).toFixed(0)} ms for ${rows} rows`);
      const erases: number[] = [];
      const deletes: number[] = [];
      for (let i = -1; i < config.runs; i++) {
        for (const mode of i % 2 === 0 ? (['delete', 'erase'] as const) : (['erase', 'delete'] as const)) {
          // Untimed: a fresh copy of the workspace (the export runs left it in place).
          await plainDeletes(client);
          await seed(client, WORKSPACE, config.rows);
          const started = performance.now();
          if (mode === 'erase') {
            const erased = await eraseWorkspace(client, registry, defaultRegistryConfig, { workspaceId: WORKSPACE });
            if (erased.tables.reduce((n, t) => n + t.rows, 0) !== rows) throw new Error('erase deleted another number of rows than were exported');
          } else {
            await plainDeletes(client);
          }
          const ms = performance.now() - started;
          if (i >= 0) (mode === 'erase' ? erases : deletes).push(ms);
        }
      }
      progress(`  erase ${median(erases).toFixed(0)} ms, DELETEs ${median(deletes).toFixed(0)} ms`);
      const exportMs = median(exports.map((e) => e.ms));
      const copyMs = median(copies.map((c) => c.ms));
      const eraseMs = median(erases);
      const deleteMs = median(deletes);
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const label = `${rows.toLocaleString('en')} rows`;
      return [
        result({ name: `workspace export (${label})`, value: exportMs, baseline: copyMs, target: 3.0, targetOf: 'ratio', unit: 'ms', baselineIs: 'COPY … TO STDOUT', samples: exports.map((e) => e.ms), baselineSamples: copies.map((c) => c.ms) }),
        result({ name: 'workspace export throughput', value: (rows / exportMs) * 1000, baseline: (rows / copyMs) * 1000, target: null, targetOf: null, unit: 'rows/s', baselineIs: 'COPY … TO STDOUT' }),
        result({ name: 'workspace export peak RSS', value: mb(median(exports.map((e) => e.peakRss))), baseline: mb(median(copies.map((c) => c.peakRss))), target: 1.5, targetOf: 'ratio', unit: 'MB', baselineIs: 'COPY … TO STDOUT child' }),
        result({ name: `workspace erase (${label})`, value: eraseMs, baseline: deleteMs, target: 2.0, targetOf: 'ratio', unit: 'ms', baselineIs: 'plain DELETEs, one transaction', samples: erases, baselineSamples: deletes }),
        result({ name: 'workspace erase throughput', value: (rows / eraseMs) * 1000, baseline: (rows / deleteMs) * 1000, target: null, targetOf: null, unit: 'rows/s', baselineIs: 'plain DELETEs, one transaction' }),
      ];
    } finally {
      await client.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await server.stop();
  }
}
