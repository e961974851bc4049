import { EXIT, type CliIo } from './cli-io.ts';
import type { Command } from './command.ts';
import { dbBaseline } from './commands/db-baseline.ts';
import { dbCheck } from './commands/db-check.ts';
import { dbGenerate } from './commands/db-generate.ts';
import { dbGraph } from './commands/db-graph.ts';
import { dbMigrate } from './commands/db-migrate.ts';
import { dbPlan } from './commands/db-plan.ts';
import { dbRepair } from './commands/db-repair.ts';
import { dbRollback } from './commands/db-rollback.ts';
import { dbStatus } from './commands/db-status.ts';
import { dbRestore } from './commands/db-restore.ts';
import { dbUninstall } from './commands/db-uninstall.ts';
import { workspaceErase } from './commands/workspace-erase.ts';
import { workspaceExport } from './commands/workspace-export.ts';
import { workspaceImport } from './commands/workspace-import.ts';
import { cliVersion } from './cli-version.ts';
import { renderError } from './render-error.ts';
import { suggestCommand } from './suggest-command.ts';

const COMMANDS: readonly Command[] = [
  dbCheck, dbPlan, dbMigrate, dbStatus, dbGenerate, dbGraph, dbBaseline, dbRepair, dbRollback,
  dbUninstall, dbRestore, workspaceExport, workspaceImport, workspaceErase,
];

const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length));

const USAGE = `Usage: ydtb <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)} ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help
  -v, --version  print the version of ydtb

Run "ydtb <command> --help" for a command's options.
ydtb.config.ts (or .mts, .js, .mjs; export default defineConfig({ packages, registry })
from @ydtb/core) is found in the working directory or the nearest folder above it, unless
--config names the file.
Exit codes: 0 ok, 1 failed, 2 bad usage, 3 invalid packages, 4 status needs attention,
5 the embedded database is in use by another process.`;

const HELP = new Set(['--help', '-h', 'help']);

/** Runs one command line and returns its exit code; never throws. Usage errors go to standard error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, name, ...rest] = argv;
  if (group === '--version' || group === '-v') {
    io.out(cliVersion());
    return EXIT.ok;
  }
  if (group !== undefined && HELP.has(group)) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (group === 'db' && name !== undefined && HELP.has(name)) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (group === undefined || (group === 'db' && name === undefined)) {
    io.err(`error: ${group === undefined ? 'no command given' : '"db" needs a command'}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === `${group} ${name ?? ''}`.trim());
  if (!command) {
    const suggestion = suggestCommand(argv, COMMANDS.map((c) => c.name));
    io.err(`error: unknown command "${argv.join(' ')}".` + (suggestion ? ` Did you mean "ydtb ${suggestion}"?` : `\n\n${USAGE}`));
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
