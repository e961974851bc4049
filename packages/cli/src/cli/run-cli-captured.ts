import type { CliIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Both streams, in the order the lines were written. */
  readonly output: string;
}

/** Runs one `ydtb` command line in-process and keeps what it printed: for tests and docs checks. */
export async function runCliCaptured(
  args: readonly string[],
  { cwd = process.cwd(), env = {} }: { cwd?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const io: CliIo = {
    out: (text) => (out.push(text), all.push(text)),
    err: (text) => (err.push(text), all.push(text)),
    env,
    cwd,
  };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n'), output: all.join('\n') };
}
