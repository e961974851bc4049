import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options shared by the database commands. */
export const DATABASE_OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** node's parseArgs, strict, with its errors turned into usage errors. */
export function parseOptions<O extends Options>(args: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const DATABASE_USAGE = `Options:
  --data-dir <path>  folder of the embedded PGlite database (default .data/pglite, or $YDTB_DATA_DIR)
  --config <file>    the file whose default export lists the package ContainerModules
                     (default ydtb.config.ts in the working directory)
  -h, --help         show this help
Environment:
  DATABASE_URL       use this PostgreSQL server instead of the embedded database`;
