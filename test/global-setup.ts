import { startPostgresServer, type PostgresServer } from './postgres-server';

/**
 * One PostgreSQL server for the whole run; each test file makes its own databases on it.
 * Workers are started after this runs, so they inherit YDTB_TEST_POSTGRES_URL.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startPostgresServer();
  (globalThis as { ydtbPostgres?: PostgresServer }).ydtbPostgres = server;
  process.env.YDTB_TEST_POSTGRES_URL = server.url;
  // If Jest dies before globalTeardown, do not leave a server running (stop is synchronous inside).
  process.once('exit', () => void server.stop());
}
