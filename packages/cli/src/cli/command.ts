import type { CliIo } from './cli-io.ts';

/** One `ydtb` command: its usage text and what it does with the remaining arguments. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
