import type { CliIo } from './cli-io.ts';

/** A progress line per table, on standard error so --json output stays alone on standard output. */
export function tableProgress(io: CliIo, verb: string) {
  return ({ table, rows, durationMs }: { table: string; rows: number; durationMs?: number }) =>
    io.err(`  ${verb} ${table}: ${rows} ${rows === 1 ? 'row' : 'rows'}${durationMs === undefined ? '' : ` (${Math.round(durationMs)} ms)`}`);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
