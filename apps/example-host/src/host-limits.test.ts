import postgres from 'postgres';
import { createPostgresDatabase, type TestDatabase } from '../../../test/test-databases';
import { prepareAppDatabase, type AppDatabase } from './fixtures/app-database';
import { spawnHost, type RunningHost } from './fixtures/spawn-host';
import { LIMITS } from './limits';

/*
 * The example host as a process on the real PostgreSQL server, sent what it must refuse and made
 * to wait on the database: every answer a status with a message, every wait within the deadline,
 * and the process serving on.
 */

const WORKSPACES = ['wa', 'wb'] as const;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | null;
  readonly ms: number;
}

async function call(host: RunningHost, method: string, path: string, body?: string | Uint8Array): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${host.url}${path}`, { method, body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
}

describe('the example host, bounded', () => {
  let database: TestDatabase;
  let app: AppDatabase;
  let owner: postgres.Sql;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    app = await prepareAppDatabase(database.url, WORKSPACES);
    owner = postgres(database.url, { max: 2, onnotice: () => undefined });
  });

  afterAll(async () => {
    await owner?.end({ timeout: 1 });
    await app?.dropRole();
    await database?.drop();
  });

  describe('when it is sent what it cannot store', () => {
    let host: RunningHost;

    beforeAll(async () => {
      host = await spawnHost({ DATABASE_URL: app.appUrl });
    });

    afterAll(async () => {
      await host?.stop();
    });

    it.each([
      ['a NUL in the title', JSON.stringify({ title: 'a\u0000b' }), 400, 'may not contain a NUL character'],
      ['a NUL in the body', JSON.stringify({ title: 'fine', body: 'x\u0000' }), 400, 'may not contain a NUL character'],
      ['a title over the limit', JSON.stringify({ title: 't'.repeat(LIMITS.title + 1) }), 400, `"title" is longer than ${LIMITS.title} characters`],
      ['a body over the limit', JSON.stringify({ title: 't', body: 'b'.repeat(LIMITS.noteBody + 1) }), 400, `"body" is longer than ${LIMITS.noteBody} characters`],
      ['a request body over the limit', JSON.stringify({ title: 't', body: 'b'.repeat(LIMITS.bodyBytes) }), 413, `larger than ${LIMITS.bodyBytes} bytes`],
      ['malformed JSON', '{"title": ', 400, 'The body is not JSON'],
      ['a JSON array', '[1]', 400, 'The body is not a JSON object'],
      ['a title that is not text', JSON.stringify({ title: 7 }), 400, '"title" must be non-empty text'],
    ])('should answer %s with its 4xx status and a message', async (_what, body, status, message) => {
      const answer = await call(host, 'POST', '/w/wa/notes', body);
      expect({ status: answer.status, error: String(answer.body.error) }).toEqual({ status, error: expect.stringContaining(message) });
    });

    it.each([
      ['a NUL in the workspace id', '/w/a%00b/notes', 'control character (NUL included)'],
      ['a workspace id over the limit', `/w/${'w'.repeat(LIMITS.workspaceId + 1)}/notes`, `longer than ${LIMITS.workspaceId} characters`],
      ['a workspace id that is not percent-encoded validly', '/w/%E0%A4%A/notes', 'not validly percent-encoded'],
    ])('should answer %s with 400 on GET and POST', async (_what, path, message) => {
      for (const method of ['GET', 'POST']) {
        const answer = await call(host, method, path, method === 'POST' ? JSON.stringify({ title: 't' }) : undefined);
        expect({ status: answer.status, error: String(answer.body.error) }).toEqual({ status: 400, error: expect.stringContaining(message) });
      }
    });

    it('should have stored none of it, and serve on', async () => {
      expect(await call(host, 'POST', '/w/wa/notes', JSON.stringify({ title: 'after' }))).toMatchObject({ status: 201 });
      const [{ notes }] = await owner<{ notes: number }[]>`SELECT count(*)::int AS notes FROM ydtb_basic_notes`;
      expect(notes).toBe(1);
    });

    it('should log no title, body or workspace id it was sent', () => {
      expect(host.stderr()).not.toMatch(/a\u0000b|bbbb|after|%00/);
    });

    it('should answer liveness and readiness', async () => {
      expect(await call(host, 'GET', '/health/live')).toMatchObject({ status: 200, body: { live: true } });
      expect(await call(host, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
    });
  });

  describe('when a lock is held longer than the deadline', () => {
    const DEADLINE_MS = 1_500;
    let waiting: RunningHost;
    let bounded: RunningHost;
    let slow: RunningHost;

    beforeAll(async () => {
      // One host has no lock_timeout (its deadline answers), one a lock_timeout shorter than its
      // deadline, one a statement_timeout shorter than it (a lock wait counts as the statement's time).
      [waiting, bounded, slow] = await Promise.all([
        spawnHost({ DATABASE_URL: app.appUrl, REQUEST_DEADLINE_MS: String(DEADLINE_MS), DATABASE_LOCK_TIMEOUT_MS: '0' }),
        spawnHost({ DATABASE_URL: app.appUrl, REQUEST_DEADLINE_MS: String(DEADLINE_MS), DATABASE_LOCK_TIMEOUT_MS: '300' }),
        spawnHost({ DATABASE_URL: app.appUrl, REQUEST_DEADLINE_MS: String(DEADLINE_MS), DATABASE_LOCK_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '300' }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([waiting?.stop(), bounded?.stop(), slow?.stop()]);
    });

    it('should answer 504 at the deadline or statement_timeout, or 503 at lock_timeout, with Retry-After, store no note it did not acknowledge, and serve once the lock is gone', async () => {
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = owner.begin(async (tx) => {
        await tx`LOCK TABLE ydtb_basic_notes IN ACCESS EXCLUSIVE MODE`;
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isLocked;
      const during = await Promise.all([
        call(waiting, 'POST', '/w/wa/notes', JSON.stringify({ title: 'wa:during-504' })),
        call(waiting, 'GET', '/w/wa/notes'),
        call(bounded, 'POST', '/w/wb/notes', JSON.stringify({ title: 'wb:during-503' })),
        call(bounded, 'GET', '/w/wb/notes'),
        call(waiting, 'GET', '/health/live'),
        // Two of the pool's four connections wait on the lock: /health/pool cannot have them all.
        call(waiting, 'GET', '/health/pool'),
        call(bounded, 'GET', '/health/ready'),
        call(slow, 'GET', '/w/wa/notes'),
      ]);
      // Held past the deadline: the answered requests' work is still queued on the lock.
      await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS));
      release();
      await holder;

      expect(during.map((a) => [a.status, a.retryAfter])).toEqual([
        [504, '2'],
        [504, '2'],
        [503, '2'],
        [503, '2'],
        [200, null],
        [504, '2'],
        [200, null],
        [504, '2'],
      ]);
      expect(during.every((a) => typeof a.body.error === 'string' || a.status === 200)).toBe(true);
      expect(during.at(-1)!.body.error).toBe('The database did not answer in time; retry in a moment.');
      // Within the deadline, give or take a scheduler's tick and the HTTP round trip.
      expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(DEADLINE_MS + 1_000);

      const after = await Promise.all([
        call(waiting, 'POST', '/w/wa/notes', JSON.stringify({ title: 'wa:after' })),
        call(bounded, 'GET', '/w/wb/notes'),
        call(waiting, 'GET', '/health/pool'),
      ]);
      // /health/pool released what it had reserved past its deadline: it has them all now.
      expect(after.map((a) => a.status)).toEqual([201, 200, 200]);
      expect(after[2]!.body.connections).toHaveLength(4);
      // The POST answered 504 ran on once the lock was gone, saw its deadline had passed and rolled back.
      const titles = await owner<{ title: string }[]>`SELECT title FROM ydtb_basic_notes WHERE title LIKE '%:during-%' OR title = 'wa:after'`;
      expect(titles.map((t) => t.title)).toEqual(['wa:after']);
    });
  });
});
