import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { EphemeralDatabase, TestDb } from '@ydtb/testing';
import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { postgresClient } from '../apps/core/src/lib/database/postgres-client';
import { createPostgresDatabase, type TestDatabase } from './test-databases';

/** A database the CLI migrates (through its environment) and a test then opens, on either engine. */
export interface Engine {
  /** Makes the database (the PostgreSQL one on the shared test server). */
  prepare(): Promise<void>;
  /** What the CLI needs to reach this database. */
  env(): Record<string, string>;
  /** The database as drizzle and as a SqlClient, once the CLI is done with it. */
  open(): Promise<EphemeralDatabase>;
  drop(): Promise<void>;
}

export function pgliteEngine(): Engine {
  const dataDir = mkdtempSync(join(tmpdir(), 'ydtb-real-world-'));
  return {
    prepare: async () => undefined,
    env: () => ({ YDTB_DATA_DIR: dataDir }),
    async open() {
      const pg = await PGlite.create(dataDir);
      const client = pgliteClient(pg);
      return { db: drizzlePglite(pg) as unknown as TestDb, client, close: () => client.close() };
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export function postgresEngine(): Engine {
  let database: TestDatabase | undefined;
  return {
    async prepare() {
      database = await createPostgresDatabase();
    },
    env: () => ({ DATABASE_URL: database!.url }),
    async open() {
      const sqlClient = postgres(database!.url, { max: 1, onnotice: () => undefined });
      const client = postgresClient(database!.url);
      return {
        db: drizzlePostgres(sqlClient) as unknown as TestDb,
        client,
        close: async () => {
          await sqlClient.end();
          await client.close();
        },
      };
    },
    async drop() {
      await database?.drop();
    },
  };
}
