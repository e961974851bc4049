import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { postgresClient } from '../apps/core/src/lib/database/postgres-client';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.YDTB_TEST_POSTGRES_URL;
  if (!url) throw new Error('YDTB_TEST_POSTGRES_URL is not set: run the tests through `bun run test` (jest globalSetup starts the server).');
  return url;
}

async function asAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** A new, empty database on the shared test server. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `ydtb_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => asAdmin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

let template: Promise<Blob> | undefined;

/**
 * A fresh, empty in-memory PGlite. A cold start runs initdb and takes seconds, so each worker
 * does it once and starts every instance from that data directory. This is PGlite's clone(),
 * except the template is dumped once instead of on every call and is closed right away.
 */
export async function createPglite(): Promise<PGlite> {
  template ??= emptyDataDir();
  return PGlite.create({ loadDataDir: await template });
}

async function emptyDataDir(): Promise<Blob> {
  const pg = await PGlite.create();
  try {
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

/**
 * Drops the worker's template (tens of MB). Call from afterAll; no instance stays open, so the
 * worker exits promptly once the tests close the instances they created.
 */
export async function closeTemplatePglite(): Promise<void> {
  template = undefined;
}

export interface OpenedTestClient {
  readonly client: SqlClient;
  /** The PostgreSQL URL of this database, absent for PGlite. */
  readonly url?: string;
  /** The PGlite instance, absent for PostgreSQL. */
  readonly pglite?: PGlite;
  release(): Promise<void>;
}

export interface DatabaseKind {
  readonly name: 'PGlite' | 'PostgreSQL';
  open(): Promise<OpenedTestClient>;
}

/** Both engines, for `describe.each(databaseKinds)('… on $name', (kind) => …)`. */
export const databaseKinds: readonly DatabaseKind[] = [
  {
    name: 'PGlite',
    async open() {
      const pglite = await createPglite();
      const client = pgliteClient(pglite);
      return { client, pglite, release: () => client.close() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const database = await createPostgresDatabase();
      const client = postgresClient(database.url);
      return {
        client,
        url: database.url,
        release: async () => {
          await client.close();
          await database.drop();
        },
      };
    },
  },
];
