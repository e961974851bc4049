import { mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { DatabaseConnectionError } from './database-connection-error.ts';
import { probePostgres } from './probe-postgres.ts';
import type { SessionSettings } from './session-settings.ts';
import type { SqlClient } from './sql-client.ts';
import { missingDriver } from './postgres-driver.ts';

/** Where the embedded database lives unless told otherwise, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.data/pglite';

/** How long to wait for a PostgreSQL server to answer, unless told otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

export interface DatabaseTarget {
  /** A PostgreSQL server URL; when absent, the embedded PGlite in `dataDir` is used. */
  readonly url?: string;
  readonly dataDir?: string;
  readonly cwd: string;
  /** Seconds to wait for the PostgreSQL server (default 10). */
  readonly connectTimeoutSeconds?: number;
  /** Bounds on the server session's waits (the CLI sets lock_timeout); ignored by the embedded database, which has one client. */
  readonly settings?: SessionSettings;
  /** What opens the database (`ydtb db migrate`), recorded in the embedded database's lock file. */
  readonly command?: string;
  /** Told once the embedded database starts opening (it takes a moment), with its description. */
  readonly onOpening?: (description: string) => void;
}

export interface OpenedDatabase {
  readonly client: SqlClient;
  /** Says which database this is, without credentials. */
  readonly description: string;
}

export async function openDatabase({ url, dataDir, cwd, connectTimeoutSeconds, settings, command, onOpening }: DatabaseTarget): Promise<OpenedDatabase> {
  if (url) return openServer(url, connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS, settings);
  const folder = resolve(cwd, dataDir ?? DEFAULT_DATA_DIR);
  const relativeFolder = relative(cwd, folder);
  const shown = relativeFolder && !relativeFolder.startsWith('..') ? relativeFolder : folder;
  mkdirSync(folder, { recursive: true });
  // PGlite allows one process per folder: a second one corrupts it.
  const lock = await lockDataDir(folder, shown, command ?? process.argv.slice(1).join(' '));
  const description = `embedded PGlite at ${shown}`;
  try {
    onOpening?.(description);
    // Each driver is loaded only when it is the one in use.
    const [{ PGlite }, { pgliteClient }] = await Promise.all([
      import('@electric-sql/pglite').catch((error: unknown) => Promise.reject(missingDriver('@electric-sql/pglite', 'the embedded PGlite', error))),
      import('./pglite-client.ts'),
    ]);
    const client = pgliteClient(await PGlite.create(folder));
    const close = async () => {
      try {
        await client.close();
      } finally {
        lock.release();
      }
    };
    return { client: { ...client, close }, description };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** A client on the server, once something at its address answered as PostgreSQL and a first query ran. */
async function openServer(url: string, timeoutSeconds: number, settings: SessionSettings = {}): Promise<OpenedDatabase> {
  const description = `PostgreSQL at ${describeUrl(url)}`;
  const target = tcpTarget(url);
  if (target) await probePostgres(target.host, target.port, timeoutSeconds * 1000);
  const { postgresClient } = await import('./postgres-client.ts');
  const { destroy, ...client } = postgresClient(url, timeoutSeconds, settings);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const address = target ? `${target.host}:${target.port}` : describeUrl(url);
    timer = setTimeout(() => reject(new DatabaseConnectionError(address, `no usable connection within ${timeoutSeconds} s`)), timeoutSeconds * 1000);
  });
  try {
    // postgres.js retries a failing connection on its own: bound it.
    await Promise.race([client.query('SELECT 1'), deadline]);
    return { client, description };
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Host and port to probe; none for a Unix socket or an address only postgres.js understands. */
function tcpTarget(url: string): { host: string; port: number } | undefined {
  try {
    const parsed = new URL(url);
    if (!parsed.hostname || parsed.searchParams.has('host')) return undefined;
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || 5432) };
  } catch {
    return undefined;
  }
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the server in DATABASE_URL';
  }
}
