import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { pgliteClient, type SqlClient } from '@ydtb/core';

export type TestDb = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/** An in-memory PGlite, as Drizzle and as the registry's SqlClient; gone when closed. */
export interface EphemeralDatabase {
  readonly db: TestDb;
  readonly client: SqlClient;
  close(): Promise<void>;
}

export async function createEphemeralDatabase(): Promise<EphemeralDatabase> {
  const pglite = await PGlite.create();
  const client = pgliteClient(pglite);
  return { db: drizzle(pglite) as unknown as TestDb, client, close: () => client.close() };
}
