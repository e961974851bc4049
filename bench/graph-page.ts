import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { createContainer, DatabaseRegistry } from '@ydtb/core';
import type { RegisteredPackage } from '../apps/core/src/types/database-registry.ts';
import { erFigures } from '../packages/cli/src/lib/graph/er-figures';
import { toHtmlPage } from '../packages/cli/src/lib/graph/html-page';
import { toMermaidEr } from '../packages/cli/src/lib/graph/mermaid-er';
import { launchChromium } from '../test/chromium';
import { generateDdl } from './ddl';
import { samplePair, type Plan, type Samples } from './measure';
import { result, type Result } from './report';
import { syntheticPackages } from './synthetic';

/*
 * The `ydtb db graph --format html` page of N synthetic packages (and core), as the command
 * writes it, opened from a file in headless Chromium (Debian's, as the tests use it) until the
 * page has checked its pictures and painted a frame. The baseline is the same page for one
 * package, in the same browser, alternating run by run. After every run the bench records the
 * page's verdict and counts the table boxes in the DOM; a shortfall in any run fails its row.
 */

export interface GraphPageConfig {
  readonly packages: number;
  readonly plan: Plan;
}

interface Page {
  readonly html: string;
  readonly tables: number;
  readonly buildMs: number;
}

/** Builds the page the way `db graph --format html` does, timing the CLI's part. */
function pageOf(packages: readonly RegisteredPackage[]): Page {
  const started = performance.now();
  const tables = packages.reduce((n, p) => n + p.tables.length, 0);
  const html = toHtmlPage(`ydtb database: ${packages.length} packages, ${tables} tables`, erFigures(packages), toMermaidEr(packages));
  return { html, tables, buildMs: performance.now() - started };
}

async function registered(count: number): Promise<readonly RegisteredPackage[]> {
  const packages = syntheticPackages(await generateDdl(count));
  return createContainer(packages.map((p) => p.module)).get(DatabaseRegistry).all();
}

export async function graphPageRows(config: GraphPageConfig, progress: (line: string) => void): Promise<Result[]> {
  const { packages: count, plan } = config;
  const large = pageOf(await registered(count));
  const small = pageOf(await registered(1));
  progress(`ER page of ${count} packages (${large.tables} tables, ${kb(large.html)} KB) vs 1 package (${small.tables} tables) in headless Chromium…`);
  const folder = mkdtempSync(join(tmpdir(), 'ydtb-bench-graph-'));
  let browser: Browser | undefined;
  try {
    const largeFile = join(folder, 'large.html');
    const smallFile = join(folder, 'small.html');
    writeFileSync(largeFile, large.html);
    writeFileSync(smallFile, small.html);
    browser = await launchChromium();
    // The measured page's outcome of every run is recorded, not thrown: its rows below fail when a
    // run left tables out or the page's own check did not say "rendered". The baseline must render.
    const shown: number[] = [];
    const verdicts: (string | null)[] = [];
    const open = (file: string, tables: number, record: boolean) => async (): Promise<number> => {
      const outcome = await renderPage(browser!, file);
      if (record) {
        shown.push(outcome.shown);
        verdicts.push(outcome.state);
      } else if (outcome.state !== 'rendered' || outcome.shown !== tables) {
        throw new Error(`the baseline ER page of ${tables} tables ended "${outcome.state}" with ${outcome.shown} tables shown`);
      }
      return outcome.ms;
    };
    const [ours, base] = await samplePair(plan, open(largeFile, large.tables, true), open(smallFile, small.tables, false));
    progress(`  ${ms(ours)} for ${large.tables} tables, ${ms(base)} for ${small.tables}; page written in ${large.buildMs.toFixed(0)} ms`);
    const name = `ER page (${large.tables} tables)`;
    return [
      result({
        name: `${name}, Chromium to rendered`,
        value: ours.median,
        baseline: base.median,
        target: 5000,
        targetOf: 'value',
        unit: 'ms',
        baselineIs: `the page of 1 package, ${small.tables} tables`,
        samples: ours.samples,
        baselineSamples: base.samples,
      }),
      result({
        name: `${name}, tables not shown`,
        value: large.tables - Math.min(...shown),
        baseline: large.tables,
        target: 0,
        targetOf: 'value',
        unit: 'tables',
        baselineIs: 'tables in the page',
      }),
      result({
        name: `${name}, runs the page did not call rendered`,
        value: verdicts.filter((v) => v !== 'rendered').length,
        baseline: verdicts.length,
        target: 0,
        targetOf: 'value',
        unit: 'runs',
        baselineIs: 'runs',
      }),
      result({
        name: `${name}, written by the CLI`,
        value: large.buildMs,
        baseline: small.buildMs,
        target: null,
        targetOf: null,
        unit: 'ms',
        baselineIs: `the page of ${small.tables} tables`,
      }),
      result({
        name: `${name}, page size`,
        value: kb(large.html),
        baseline: kb(small.html),
        target: null,
        targetOf: null,
        unit: 'KB',
        baselineIs: `the page of ${small.tables} tables`,
      }),
    ];
  } finally {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Opens the file in a new context, waits for the page's verdict and one painted frame, counts the boxes. */
async function renderPage(browser: Browser, file: string): Promise<{ ms: number; state: string | null; shown: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#diagram:not([data-state="pending"])', { timeout: 60_000 });
    // The page's script has run; wait until the browser has also laid out and painted a frame.
    await page.evaluate('new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))');
    const elapsed = performance.now() - started;
    return {
      ms: elapsed,
      state: await page.getAttribute('#diagram', 'data-state'),
      shown: await page.locator('#diagram svg.er g.er-table').count(),
    };
  } finally {
    await context.close();
  }
}

function kb(text: string): number {
  return Math.round(Buffer.byteLength(text) / 1024);
}

function ms(s: Samples): string {
  return `${s.median.toFixed(0)} ms`;
}
