import { mkdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { createContainer, DatabaseRegistry, defaultRegistryConfig, exportWorkspace, postgresClient } from '@ydtb/core';

/*
 * Child process of the tenant life-cycle bench, so each figure's peak memory is its own:
 * `export` runs exportWorkspace (cursor, JSON Lines, sha256) into <dir>; `copy` runs
 * COPY (SELECT * FROM <table> WHERE workspace_id = …) TO STDOUT for the same tables, streamed
 * into one file each (fsynced, as the export's files are): the floor. Each opens its connections
 * before its timer and closes them after it. Prints {mode, ms, rows, bytes, peakRss} as JSON.
 *
 *   bun bench/tenant-child.ts <export|copy> <database url> <workspace> <dir>
 */

const [mode, url, workspaceId, dir] = process.argv.slice(2);
if ((mode !== 'export' && mode !== 'copy') || !url || !workspaceId || !dir) {
  console.error('usage: bun bench/tenant-child.ts <export|copy> <database url> <workspace> <dir>');
  process.exit(2);
}

/** VmHWM of /proc/self/status: this process's own peak (getrusage's maxrss survives exec). */
function peakRssBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const TABLES = ['ydtb_workspaces', 'ydtb_workspace_members', 'ydtb_basic_notes', 'ydtb_basic_note_tags', 'ydtb_crm_contacts', 'ydtb_crm_contact_notes'];
const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
let rows = 0;
let bytes = 0;
let ms = 0;
if (mode === 'export') {
  // Connected before the timer, closed after it, as the COPY floor's connections are.
  const client = postgresClient(url);
  await client.query('SELECT 1');
  const started = performance.now();
  const manifest = await exportWorkspace(client, registry, defaultRegistryConfig, { workspaceId, outDir: dir });
  ms = performance.now() - started;
  rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  bytes = manifest.tables.reduce((n, t) => n + t.bytes, 0);
  await client.close();
} else {
  mkdirSync(dir, { recursive: true });
  // A connection per COPY: on one connection (postgres.js 3.4 under Bun), the stream of the COPY
  // that follows a large one never ends. They are opened before the timer and closed after it,
  // as the export's one connection is: both timers hold the same work, reading and writing rows.
  const connections = TABLES.map(() => postgres(url, { max: 1, onnotice: () => undefined }));
  await Promise.all(connections.map((sql) => sql`SELECT 1`));
  const started = performance.now();
  for (const [index, table] of TABLES.entries()) {
    const sql = connections[index]!;
    const column = table === 'ydtb_workspaces' ? 'id' : 'workspace_id';
    const file = join(dir, `${table}.copy`);
    const source = await sql.unsafe(`COPY (SELECT * FROM ${table} WHERE ${column} = '${workspaceId}') TO STDOUT`).readable();
    // postgres.js hands over one chunk a row: gather them into 1 MB writes, as the export does its batches.
    const sink = await open(file, 'w');
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of source) {
      pending.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= 1 << 20) {
        await sink.write(Buffer.concat(pending));
        bytes += size;
        pending = [];
        size = 0;
      }
    }
    await sink.write(Buffer.concat(pending));
    bytes += size;
    await sink.sync();
    await sink.close();
  }
  ms = performance.now() - started;
  await Promise.all(connections.map((sql) => sql.end()));
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const counts = await Promise.all(TABLES.map((t) => sql.unsafe(`SELECT count(*)::int AS n FROM ${t} WHERE ${t === 'ydtb_workspaces' ? 'id' : 'workspace_id'} = '${workspaceId}'`)));
  rows = counts.reduce((n, r) => n + Number(r[0]!.n), 0);
  await sql.end();
}
process.stdout.write(`${JSON.stringify({ mode, ms, rows, bytes, peakRss: peakRssBytes() })}\n`);
