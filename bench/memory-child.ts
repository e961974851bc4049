import { readFileSync } from 'node:fs';
import { createContainer, DatabaseRegistry } from '@ydtb/core';
import { getTableConfigPass, syntheticPackages } from './synthetic';

/*
 * Child process of `bun bench/run.ts` for the peak-memory row, so no other row's garbage
 * counts: builds the synthetic packages from the DDL the parent generated (a JSON array in
 * the file given), then either starts the registry (`registry`) or only reads every table's
 * config (`floor`), and prints its peak RSS (VmHWM; getrusage maxrss off Linux) as JSON. Both modes load the
 * same modules, so the difference is the registry's own data and work.
 *
 *   bun bench/memory-child.ts <registry|floor> <ddl.json>
 */

const [mode, ddlFile] = process.argv.slice(2);
if ((mode !== 'registry' && mode !== 'floor') || !ddlFile) {
  console.error('usage: bun bench/memory-child.ts <registry|floor> <ddl.json>');
  process.exit(2);
}

/**
 * The process's peak RSS. On Linux, VmHWM of /proc/self/status: getrusage's maxrss survives
 * exec, so a child spawned by a big parent would report the parent's peak instead of its own.
 */
function peakRssBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS * 1024;
}

const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;
const packages = syntheticPackages(JSON.parse(readFileSync(ddlFile, 'utf8')) as string[]);
gc?.(true);
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
let kept: unknown;
if (mode === 'registry') {
  const registry = createContainer(packages.map((p) => p.module)).get(DatabaseRegistry);
  kept = registry.list().length;
} else {
  kept = getTableConfigPass(packages);
}
const ms = performance.now() - started;
const rssAfter = process.memoryUsage().rss;
const peakRss = peakRssBytes();
process.stdout.write(`${JSON.stringify({ mode, packages: packages.length, kept, ms, rssBefore, rssAfter, peakRss })}\n`);
