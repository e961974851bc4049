import type { PostgresServer } from './postgres-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { ydtbPostgres?: PostgresServer }).ydtbPostgres?.stop();
}
