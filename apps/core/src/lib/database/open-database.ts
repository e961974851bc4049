import { mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteClient } from './pglite-client';
import { postgresClient } from './postgres-client';
import type { SqlClient } from './sql-client';

/** Where the embedded database lives unless told otherwise, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.data/pglite';

export interface DatabaseTarget {
  /** A PostgreSQL server URL; when absent, the embedded PGlite in `dataDir` is used. */
  readonly url?: string;
  readonly dataDir?: string;
  readonly cwd: string;
}

export interface OpenedDatabase {
  readonly client: SqlClient;
  /** Says which database this is, without credentials. */
  readonly description: string;
}

export async function openDatabase({ url, dataDir, cwd }: DatabaseTarget): Promise<OpenedDatabase> {
  if (url) return { client: postgresClient(url), description: `PostgreSQL at ${describeUrl(url)}` };
  const folder = resolve(cwd, dataDir ?? DEFAULT_DATA_DIR);
  mkdirSync(folder, { recursive: true });
  const pg = await PGlite.create(folder);
  const shown = relative(cwd, folder);
  return { client: pgliteClient(pg), description: `embedded PGlite at ${shown && !shown.startsWith('..') ? shown : folder}` };
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the server in DATABASE_URL';
  }
}
