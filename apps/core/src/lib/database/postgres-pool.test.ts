import postgres from 'postgres';
import { createPostgresDatabase, type TestDatabase } from '../../../../../test/test-databases.ts';
import { postgresClient } from './postgres-client.ts';
import { POOL_DEFAULTS, postgresPool } from './postgres-pool.ts';

/*
 * The clients @ydtb/core opens on a PostgreSQL server: the bounds they set on each session, and
 * what a query meets when the server ends its connection.
 */

/** What a query on a connection the server ended fails with: the server's goodbye, a reset, or the close. */
const CLOSED = /^(CONNECTION_CLOSED|ECONNRESET|57P01)$/;

const SHOW = `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                     current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('application_name') AS app`;

describe('the PostgreSQL clients of @ydtb/core', () => {
  let database: TestDatabase;
  let admin: postgres.Sql;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    admin = postgres(database.url, { max: 1, onnotice: () => undefined });
  });

  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  describe('postgresPool', () => {
    it('should bound statements, lock waits and idle transactions by default', async () => {
      const pool = postgresPool(database.url);
      try {
        const [row] = await pool.sql.unsafe(SHOW);
        expect(row).toEqual({ statement: '10s', lock: '3s', idle: '15s', app: POOL_DEFAULTS.applicationName });
      } finally {
        await pool.close();
      }
    });

    it('should take the bounds a host sets instead, 0 turning one off', async () => {
      const pool = postgresPool(database.url, { statementTimeoutMs: 1500, lockTimeoutMs: 0, idleInTransactionTimeoutMs: 60_000, applicationName: 'notes' });
      try {
        const [row] = await pool.sql.unsafe(SHOW);
        expect(row).toEqual({ statement: '1500ms', lock: '0', idle: '1min', app: 'notes' });
        expect(pool.options).toMatchObject({ max: POOL_DEFAULTS.max, statementTimeoutMs: 1500, lockTimeoutMs: 0 });
      } finally {
        await pool.close();
      }
    });

    it('should cancel a statement running past statement_timeout with SQLSTATE 57014', async () => {
      const pool = postgresPool(database.url, { statementTimeoutMs: 200 });
      try {
        await expect(pool.sql`SELECT pg_sleep(5)`).rejects.toMatchObject({ code: '57014' });
        expect(await pool.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      } finally {
        await pool.close();
      }
    });

    it('should refuse a pool without connections', () => {
      expect(() => postgresPool(database.url, { max: 0 })).toThrow('max must be a whole number of connections, 1 or more, not 0.');
    });

    // porsager/postgres#1208: on 3.4.9 unpatched, the second query throws an uncaught TypeError from
    // nextWrite, or waits for ever; the released connection then failed every later query of the pool.
    it('should fail the queries of a reserved connection whose backend was terminated, and keep serving', async () => {
      const pool = postgresPool(database.url, { max: 2 });
      try {
        const reserved = await pool.sql.reserve();
        const [{ pid }] = await reserved<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        await admin`SELECT pg_terminate_backend(${pid})`;
        const first = await reserved`SELECT 1`.then(() => 'answered', (error: { code?: string }) => error.code);
        const second = await reserved`SELECT 1`.then(() => 'answered', (error: { code?: string }) => error.code);
        reserved.release();

        expect([first, second].filter((outcome) => !CLOSED.test(outcome ?? ''))).toEqual([]);
        expect(await pool.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      } finally {
        await pool.close();
      }
    });

    it('should answer again after every connection of the pool was terminated', async () => {
      const pool = postgresPool(database.url, { max: 3, applicationName: 'terminated-pool' });
      try {
        await Promise.all([1, 2, 3].map(() => pool.sql`SELECT pg_sleep(0.05)`));
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'terminated-pool'`;
        // Each connection the server ended fails the one query that meets it, then is opened anew.
        const outcomes: string[] = [];
        while (outcomes.at(-1) !== 'answered' && outcomes.length <= 4) {
          outcomes.push(await pool.sql`SELECT 1 AS one`.then(() => 'answered', (error: { code?: string }) => String(error.code)));
        }
        expect(outcomes.at(-1)).toBe('answered');
        expect(outcomes.slice(0, -1).filter((o) => !CLOSED.test(o))).toEqual([]);
      } finally {
        await pool.close();
      }
    });
  });

  describe('postgresClient', () => {
    it('should set no bound unless told, and the ones it is told', async () => {
      const plain = postgresClient(database.url);
      const bounded = postgresClient(database.url, 10, { lockTimeoutMs: 2000 });
      try {
        expect(await plain.query(SHOW)).toEqual([{ statement: '0', lock: '0', idle: '0', app: 'postgres.js' }]);
        expect(await bounded.query(SHOW)).toEqual([{ statement: '0', lock: '2s', idle: '0', app: 'postgres.js' }]);
      } finally {
        await plain.close();
        await bounded.close();
      }
    });
  });
});
