import postgres from 'postgres';
import { createPostgresDatabase, type TestDatabase } from '../../../../../test/test-databases.ts';
import { postgresClient } from '../database/postgres-client.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { LOCK_RETRY_DEFAULTS, retryOnLockTimeout } from './lock-retry.ts';
import { migrateDatabase } from './migrate-database.ts';
import { MigrationFailedError } from './migration-failed-error.ts';
import { chainPackage, createItemsSql, registryWith } from './test-packages.ts';

/*
 * A migrate behind a long reader on the real server: its DDL waits at most lock_timeout for the
 * table, is run again a bounded number of times, and then either succeeds or gives up.
 */

const LOCK_TIMEOUT_MS = 300;
const ADD_COLUMN = 'ALTER TABLE ydtb_alpha_items ADD COLUMN note text;';
const twoMigrations = () =>
  registryWith(
    chainPackage('alpha', [
      { id: '0001_init', sql: createItemsSql('alpha') },
      { id: '0002_note', sql: ADD_COLUMN },
    ]),
  );

/** The longest a migrate retries with the defaults: each attempt's lock wait and each pause. */
function retryBoundMs(lockTimeoutMs: number): number {
  const { attempts, firstPauseMs, maxPauseMs } = LOCK_RETRY_DEFAULTS;
  let pauses = 0;
  for (let attempt = 1; attempt < attempts; attempt++) pauses += Math.min(maxPauseMs, firstPauseMs * 2 ** (attempt - 1));
  return attempts * lockTimeoutMs + pauses;
}

describe('a migrate behind a long reader', () => {
  let database: TestDatabase;
  let reader: postgres.Sql;

  beforeEach(async () => {
    database = await createPostgresDatabase();
    const first = postgresClient(database.url);
    try {
      await migrateDatabase(first, registryWith(chainPackage('alpha')), defaultRegistryConfig);
    } finally {
      await first.close();
    }
    reader = postgres(database.url, { max: 1, onnotice: () => undefined });
  });

  afterEach(async () => {
    await reader?.end({ timeout: 1 });
    await database?.drop();
  });

  /** A transaction that has read the table, holding its lock until `release` resolves. */
  function holdReader(release: Promise<void>): Promise<void> {
    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    void reader.begin(async (tx) => {
      await tx`SELECT count(*) FROM ydtb_alpha_items`;
      reading();
      await release;
    });
    return read;
  }

  it('should retry its DDL and apply it once the reader has finished', async () => {
    const migrator = postgresClient(database.url, 10, { lockTimeoutMs: LOCK_TIMEOUT_MS });
    try {
      await holdReader(new Promise((resolve) => setTimeout(resolve, 1_200)));
      const result = await migrateDatabase(migrator, twoMigrations(), defaultRegistryConfig);

      expect(result.applied.map((a) => [a.packageName, a.migrationIds])).toEqual([['@test/alpha', ['0002_note']]]);
      const [column] = await reader`SELECT column_name FROM information_schema.columns WHERE table_name = 'ydtb_alpha_items' AND column_name = 'note'`;
      expect(column).toEqual({ column_name: 'note' });
    } finally {
      await migrator.close();
    }
  });

  it('should give up within its bound while the reader holds on, with the lock timeout in the error and nothing applied', async () => {
    const migrator = postgresClient(database.url, 10, { lockTimeoutMs: LOCK_TIMEOUT_MS });
    let finish!: () => void;
    try {
      await holdReader(new Promise<void>((resolve) => (finish = resolve)));
      const started = Date.now();
      const failure = await migrateDatabase(migrator, twoMigrations(), defaultRegistryConfig).then(
        () => undefined,
        (error: unknown) => error,
      );
      const elapsed = Date.now() - started;
      finish();

      expect(failure).toBeInstanceOf(MigrationFailedError);
      expect((failure as MigrationFailedError).database.code).toBe('55P03');
      expect((failure as MigrationFailedError).migrationId).toBe('0002_note');
      // It waited for the lock more than once, and not much longer than the bound.
      expect(elapsed).toBeGreaterThanOrEqual(retryBoundMs(LOCK_TIMEOUT_MS) - LOCK_TIMEOUT_MS);
      expect(elapsed).toBeLessThan(retryBoundMs(LOCK_TIMEOUT_MS) + 5_000);
      const history = await reader`SELECT migration_id FROM ydtb_migration_history WHERE package_name = '@test/alpha' ORDER BY 1`;
      expect(history.map((row) => row.migration_id)).toEqual(['0001_init']);
    } finally {
      finish?.();
      await migrator.close();
    }
  });
});

describe('retryOnLockTimeout', () => {
  it('should run a step that fails for another reason once, and throw that error', async () => {
    let runs = 0;
    const failure = new Error('relation does not exist');
    await expect(
      retryOnLockTimeout(async () => {
        runs++;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(runs).toBe(1);
  });

  it('should stop after the attempts it is given, telling each retry', async () => {
    const retries: [number, number][] = [];
    let runs = 0;
    const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    await expect(
      retryOnLockTimeout(
        async () => {
          runs++;
          throw lockTimeout;
        },
        { attempts: 3, firstPauseMs: 10, maxPauseMs: 15, onRetry: (attempt, pause) => retries.push([attempt, pause]) },
      ),
    ).rejects.toBe(lockTimeout);
    expect(runs).toBe(3);
    expect(retries).toEqual([
      [1, 10],
      [2, 15],
    ]);
  });
});
