import { join } from 'node:path';
import { DEFAULT_DATA_DIR, openDatabase, type OpenedDatabase } from '@ydtb/core/internal/lib/database/open-database';
import type { CliIo } from './cli-io';
import { connectTimeoutFrom } from './parse-options';

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
export async function withDatabase<T>(
  io: CliIo,
  { dataDir, projectDir }: DatabaseChoice,
  work: (database: OpenedDatabase) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    url: io.env.DATABASE_URL,
    dataDir: dataDir ?? io.env.YDTB_DATA_DIR ?? join(projectDir, DEFAULT_DATA_DIR),
    cwd: io.cwd,
    connectTimeoutSeconds: connectTimeoutFrom(io.env),
    command: io.command,
    // On standard error, so that --json output stays one JSON document.
    onOpening: (description) => io.err(`Opening the ${description}…`),
  });
  try {
    return await work(database);
  } finally {
    await database.client.close();
  }
}
