import { EXIT, type CliIo } from './cli-io';
import type { Command } from './command';
import { dbCheck } from './commands/db-check';
import { dbGenerate } from './commands/db-generate';
import { dbGraph } from './commands/db-graph';
import { dbMigrate } from './commands/db-migrate';
import { dbPlan } from './commands/db-plan';
import { dbStatus } from './commands/db-status';
import { renderError } from './render-error';

const COMMANDS: readonly Command[] = [dbCheck, dbPlan, dbMigrate, dbStatus, dbGenerate, dbGraph];

const USAGE = `Usage: ydtb <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Run "ydtb <command> --help" for a command's options.
Exit codes: 0 ok, 1 failed, 2 bad usage, 3 invalid packages, 4 status needs attention,
5 the embedded database is in use by another process.`;

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, name, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    io.out(USAGE);
    return group ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === `${group} ${name ?? ''}`.trim());
  if (!command) {
    if (group === 'db' && (!name || name === '--help' || name === '-h')) {
      io.out(USAGE);
      return name ? EXIT.ok : EXIT.usage;
    }
    io.err(`error: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, { ...io, command: `ydtb ${command.name}` });
  } catch (error) {
    const { text, code } = renderError(error);
    io.err(text);
    return code;
  }
}
