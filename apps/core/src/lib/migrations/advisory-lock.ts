import type { SqlClient } from '../database/sql-client.ts';

/**
 * Key of the session-level advisory lock that serialises migrators ("ydtb" in ASCII).
 * A session lock is released by PostgreSQL when the connection ends, so a crashed migrator
 * cannot leave it behind.
 */
export const MIGRATION_LOCK_KEY = 0x79647462;

export async function withMigrationLock<T>(client: SqlClient, onWait: () => void, work: () => Promise<T>): Promise<T> {
  const [row] = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`);
  if (!row?.locked) {
    onWait();
    // Another migrator's whole run is worth waiting for: not bounded by the session's lock_timeout,
    // which is for the DDL's table locks. RESET returns to the session's own value.
    await client.query(`SELECT set_config('lock_timeout', '0', false)`);
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await client.query(`RESET lock_timeout`);
  }
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}
