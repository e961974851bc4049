import { openDatabase, type OpenedDatabase } from '@ydtb/core/internal/lib/database/open-database';
import type { CliIo } from './cli-io';
import { connectTimeoutFrom } from './parse-options';

/** Opens the database the environment points at, runs `work`, and always closes it. */
export async function withDatabase<T>(
  io: CliIo,
  dataDir: string | undefined,
  work: (database: OpenedDatabase) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    url: io.env.DATABASE_URL,
    dataDir: dataDir ?? io.env.YDTB_DATA_DIR,
    cwd: io.cwd,
    connectTimeoutSeconds: connectTimeoutFrom(io.env),
    command: io.command,
  });
  try {
    return await work(database);
  } finally {
    await database.client.close();
  }
}
