import postgres from 'postgres';
import { createPostgresDatabase } from '../../../../test/test-databases.ts';
import { MIGRATION_LOCK_KEY } from '../../../../apps/core/src/lib/migrations/advisory-lock.ts';
import { HISTORY_TABLE } from '../../../../apps/core/src/lib/migrations/history.ts';
import { createContainer } from '../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../apps/core/src/lib/registry/database.ts';
import installedPackages from '../../../../ydtb.config.ts';
import { spawnYdtb } from './fixtures/spawn-ydtb.ts';

/** Starts `ydtb db migrate` as its own process; `waiting` resolves once it reports the lock is taken. */
function startMigrate(databaseUrl: string) {
  const started = spawnYdtb(['db', 'migrate'], { DATABASE_URL: databaseUrl });
  return { waiting: started.printed('holds the migration lock'), done: started.done };
}

/** Every migration the installed packages ship, as [package, id]. */
const registry = createContainer(installedPackages).get(DatabaseRegistry);
const shipped = [registry.core, ...registry.list()].flatMap(({ registration }) =>
  (registration.migrations ?? []).map((m) => [registration.packageName, m.id]),
);

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ydtb db migrate', () => {
  describe('when two processes migrate the same PostgreSQL database at once', () => {
    it('should serialise them on the advisory lock and apply each migration once', async () => {
      const database = await createPostgresDatabase();
      // Hold the lock first, so both processes are certainly contending for it.
      const holder = postgres(database.url, { max: 1 });
      try {
        await holder.unsafe(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        const first = startMigrate(database.url);
        const second = startMigrate(database.url);
        await Promise.all([first.waiting, second.waiting]);
        await holder.unsafe(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);

        const runs = await Promise.all([first.done, second.done]);

        expect(runs.map((run) => [run.code, run.stderr])).toEqual([
          [0, ''],
          [0, ''],
        ]);
        const outputs = runs.map((run) => run.stdout);
        expect(outputs.filter((out) => out.includes(`Migrated: ${shipped.length} migrations`))).toHaveLength(1);
        expect(outputs.filter((out) => out.includes('Nothing to migrate'))).toHaveLength(1);
        const history = await holder.unsafe(
          `SELECT package_name, migration_id, count(*)::int AS times FROM ${HISTORY_TABLE} GROUP BY 1, 2 ORDER BY 1, 2`,
        );
        expect(history.map((row) => [row.package_name, row.migration_id, row.times])).toEqual(shipped.map((id) => [...id, 1]).sort());
      } finally {
        await holder.end();
        await database.drop();
      }
    });
  });

  describe('when the process holding the lock dies', () => {
    it('should not leave the lock behind', async () => {
      const database = await createPostgresDatabase();
      const crashed = postgres(database.url, { max: 1 });
      const admin = postgres(database.url, { max: 1 });
      try {
        const [{ pid }] = await crashed.unsafe(`SELECT pg_backend_pid() AS pid, pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        // The server ends the session as it would for a killed migrator; its session lock goes with it.
        await admin.unsafe('SELECT pg_terminate_backend($1)', [pid]);
        await waitUntil(async () => (await admin.unsafe(`SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()`)).length === 0);

        const run = await startMigrate(database.url).done;

        expect(run.code).toBe(0);
        expect(run.stdout).not.toContain('holds the migration lock');
      } finally {
        await crashed.end().catch(() => undefined);
        await admin.end();
        await database.drop();
      }
    });
  });
});
