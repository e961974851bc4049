import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

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

/** YDTB_CONNECT_TIMEOUT: seconds to wait for the PostgreSQL server; undefined for the default. */
export function connectTimeoutFrom(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.YDTB_CONNECT_TIMEOUT;
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`YDTB_CONNECT_TIMEOUT must be a number of seconds between 0 and 3600, not "${raw.slice(0, 40)}".`);
  }
  return seconds;
}

/** How long ydtb's statements wait for a table lock on the server unless YDTB_LOCK_TIMEOUT says. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 3;

/** YDTB_LOCK_TIMEOUT: seconds a statement waits for a lock (0: no bound), as milliseconds. */
export function lockTimeoutFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.YDTB_LOCK_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_LOCK_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new UsageError(`YDTB_LOCK_TIMEOUT must be a number of seconds between 0 and 3600 (0: wait without bound), not "${raw.slice(0, 40)}".`);
  }
  return Math.round(seconds * 1000);
}

export const DATABASE_USAGE = `Options:
  --data-dir <path>  folder of the embedded PGlite database, relative to the working directory
                     (default $YDTB_DATA_DIR, else .data/pglite beside the ydtb.config.ts found)
  --config <file>    the deployment's config (default export: defineConfig({ packages }))
                     (default the nearest ydtb.config.ts: working directory, then folders above)
  -h, --help         show this help
Environment:
  DATABASE_URL       use this PostgreSQL server instead of the embedded database
  YDTB_CONNECT_TIMEOUT
                     seconds to wait for that server to answer as PostgreSQL (default 10)
  YDTB_LOCK_TIMEOUT  seconds a statement on that server waits for a table lock (default 3,
                     0 for no bound); migrate runs a step that timed out again, 5 times at most
  YDTB_DATA_DIR      the embedded database folder, when --data-dir is not given
The embedded database is opened by one process at a time (lock file <data-dir>.lock);
another command on the same folder exits 5 at once.`;
