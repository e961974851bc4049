/** Timing helpers: warm-up runs, then the median of the timed runs. */

export interface Plan {
  /** Untimed runs first, so the JIT (and PGlite's WebAssembly tiers) are warm. */
  readonly warmup: number;
  /** Timed runs at most. */
  readonly runs: number;
  /** Timed runs at least, even past the budget. */
  readonly minRuns: number;
  /** Stop after `minRuns` once the timed runs took this long in total. */
  readonly budgetMs: number;
}

export interface Samples {
  readonly median: number;
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summary(samples: readonly number[]): Samples {
  return { median: median(samples), samples };
}

/**
 * Times `run` (which times its own region and returns milliseconds, so set-up such as starting
 * a database stays outside) `plan.warmup` times untimed, then up to `plan.runs` times.
 */
export async function sample(plan: Plan, run: (iteration: number) => Promise<number> | number): Promise<Samples> {
  for (let i = 0; i < plan.warmup; i++) await run(-1 - i);
  const samples: number[] = [];
  let spent = 0;
  for (let i = 0; i < plan.runs; i++) {
    if (i >= plan.minRuns && spent > plan.budgetMs) break;
    const ms = await run(i);
    samples.push(ms);
    spent += ms;
  }
  return summary(samples);
}

/**
 * Times two contenders alternately (A then B, then B then A, …) so drift in machine load hits
 * both alike. Each `run` returns the milliseconds of its own timed region.
 */
export async function samplePair(
  plan: Plan,
  a: (iteration: number) => Promise<number>,
  b: (iteration: number) => Promise<number>,
): Promise<[Samples, Samples]> {
  const as: number[] = [];
  const bs: number[] = [];
  let spent = 0;
  for (let i = -plan.warmup; i < plan.runs; i++) {
    if (i >= plan.minRuns && spent > plan.budgetMs) break;
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await a(i);
      tb = await b(i);
    } else {
      tb = await b(i);
      ta = await a(i);
    }
    if (i < 0) continue;
    as.push(ta);
    bs.push(tb);
    spent += ta + tb;
  }
  return [summary(as), summary(bs)];
}

/** Milliseconds `work` takes (synchronous work). */
export function timeSync(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

/** Milliseconds `work` takes (asynchronous work). */
export async function timeAsync(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The value below which `p` (0–1) of the values fall: nearest rank, as latency percentiles are usually given. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
