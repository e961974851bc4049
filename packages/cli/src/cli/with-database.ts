import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR, openDatabase, type DatabaseTarget, type OpenedDatabase } from '@ydtb/core/tooling';
import type { CliIo } from './cli-io.ts';
import { loadHost, locateConfig, type Host } from './host.ts';
import { connectTimeoutFrom, lockTimeoutFrom } from './parse-options.ts';

export interface DatabaseChoice {
  /** `--data-dir`, relative to the working directory. */
  readonly dataDir?: string;
  /** Where the default embedded database lives (`<projectDir>/.data/pglite`). */
  readonly projectDir: string;
}

/**
 * Opens the database the environment points at, runs `work`, and always closes it. The embedded
 * database is `--data-dir`, else $YDTB_DATA_DIR (both relative to the working directory), else
 * `.data/pglite` in the project folder.
 */
export async function withDatabase<T>(io: CliIo, choice: DatabaseChoice, work: (database: OpenedDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseTarget(io, choice, (description) => io.err(openingLine(description))));
  return useAndClose(database, work);
}

/**
 * Loads the host (validating every package) and opens the database at the same time, then runs
 * `work` with both and closes the database. The connection (or the embedded database, when its
 * folder already holds one) is opened while the packages load and validate; a new embedded
 * database is only created once they are valid. What is printed, and in which order, is as if
 * one came after the other: `validated` first, then the line saying the embedded database is
 * opening. When the packages are invalid, that error is thrown and the database closed unused.
 */
export async function withHostAndDatabase<T>(
  io: CliIo,
  options: { readonly config?: string; readonly dataDir?: string },
  validated: (host: Host) => void,
  work: (host: Host, database: OpenedDatabase) => Promise<T>,
): Promise<T> {
  const { projectDir } = locateConfig(io.cwd, options.config);
  let opening: string | undefined;
  let shown = false;
  const onOpening = (description: string) => (shown ? io.err(openingLine(description)) : (opening = description));
  const target = databaseTarget(io, { dataDir: options.dataDir, projectDir }, onOpening);
  const early = target.url || holdsDatabase(target) ? openDatabase(target) : undefined;
  // Handled here so that a failure while the host loads is not an unhandled rejection; awaited below.
  early?.catch(() => undefined);
  let host: Host;
  try {
    host = await loadHost(io.cwd, options.config);
  } catch (error) {
    await early?.then((database) => database.client.close()).catch(() => undefined);
    throw error;
  }
  validated(host);
  shown = true;
  if (opening !== undefined) io.err(openingLine(opening));
  const database = await (early ?? openDatabase(target));
  return useAndClose(database, (opened) => work(host, opened));
}

function databaseTarget(io: CliIo, { dataDir, projectDir }: DatabaseChoice, onOpening: (description: string) => void): DatabaseTarget {
  return {
    url: io.env.DATABASE_URL,
    dataDir: dataDir ?? io.env.YDTB_DATA_DIR ?? join(projectDir, DEFAULT_DATA_DIR),
    cwd: io.cwd,
    connectTimeoutSeconds: connectTimeoutFrom(io.env),
    // Every statement ydtb runs on the server waits this long at most for a lock (migrate retries).
    settings: { lockTimeoutMs: lockTimeoutFrom(io.env) },
    command: io.command,
    // On standard error, so that --json output stays one JSON document.
    onOpening,
  };
}

/** Whether the embedded database folder already holds a database (PostgreSQL writes PG_VERSION first). */
function holdsDatabase(target: DatabaseTarget): boolean {
  return existsSync(join(resolve(target.cwd, target.dataDir ?? DEFAULT_DATA_DIR), 'PG_VERSION'));
}

function openingLine(description: string): string {
  return `Opening the ${description}…`;
}

async function useAndClose<T>(database: OpenedDatabase, work: (database: OpenedDatabase) => Promise<T>): Promise<T> {
  try {
    return await work(database);
  } finally {
    await database.client.close();
  }
}
