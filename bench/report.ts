/** One row of the benchmark, as printed and as `--json` emits it. */
export interface Result {
  readonly name: string;
  /** Our figure (median of the timed runs), in `unit`. */
  readonly value: number;
  /** The baseline measured in the same run, in `unit`. */
  readonly baseline: number;
  /** value / baseline. */
  readonly ratio: number;
  /** The bound `targetOf` must stay within, or null for a row given for information. */
  readonly target: number | null;
  readonly unit: string;
  /** What the target bounds: the ratio to the baseline, or the value itself. */
  readonly targetOf: 'ratio' | 'value' | null;
  readonly pass: boolean | null;
  /** What the baseline is. */
  readonly baselineIs: string;
  readonly samples?: readonly number[];
  readonly baselineSamples?: readonly number[];
}

export function result(fields: Omit<Result, 'ratio' | 'pass'>): Result {
  const ratio = fields.value / fields.baseline;
  const bounded = fields.targetOf === 'value' ? fields.value : ratio;
  const pass = fields.target === null || fields.targetOf === null ? null : bounded <= fields.target;
  return { ...fields, ratio, pass };
}

export function formatTable(results: readonly Result[]): string {
  const header = ['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'result'];
  const rows = results.map((r) => [
    r.name,
    number(r.value),
    r.unit,
    `${number(r.baseline)} (${r.baselineIs})`,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—',
    target(r),
    r.pass === null ? 'info' : r.pass ? 'pass' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([1, 4]);
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function target(r: Result): string {
  if (r.target === null) return '—';
  return r.targetOf === 'ratio' ? `ratio ≤ ${r.target}×` : `value ≤ ${r.target} ${r.unit}`;
}

function number(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toFixed(3);
}
