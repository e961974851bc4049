import { postgresClient, type SqlClient } from '@ydtb/core';
import { createPostgresDatabase, type TestDatabase } from '../../../test/test-databases';
import { prepareAppDatabase, type AppDatabase } from './fixtures/app-database';
import { spawnHost, type FailedStart, type RunningHost } from './fixtures/spawn-host';
import type { Note } from './notes-store';
import type { PooledConnection } from './pool-check';

/*
 * The example host as a real process on the real PostgreSQL server: logged in as a LOGIN role
 * granted ydtb_app, a pool of several connections, many requests of two workspaces at once.
 */

const WORKSPACES = ['wa', 'wb'] as const;
const POOL_MAX = 4;
const CLIENTS = 8;
const REQUESTS_PER_CLIENT = 16;

async function call(host: RunningHost, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${host.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the example host', () => {
  let database: TestDatabase;
  let app: AppDatabase;
  let owner: SqlClient;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    app = await prepareAppDatabase(database.url, WORKSPACES);
    owner = postgresClient(database.url);
  });

  afterAll(async () => {
    await owner?.close();
    await app?.dropRole();
    await database?.drop();
  });

  describe('when it serves many interleaved requests of two workspaces on a pool', () => {
    let host: RunningHost;
    let responses: { workspace: string; method: string; status: number; body: Record<string, unknown> }[];

    beforeAll(async () => {
      host = await spawnHost({ DATABASE_URL: app.appUrl, DATABASE_POOL_MAX: String(POOL_MAX) });
      // Each client alternates workspaces and writes with reads, one request after the other.
      const client = async (c: number) => {
        const answered = [];
        for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
          const workspace = WORKSPACES[(c + i) % WORKSPACES.length]!;
          const method = Math.floor(i / 2) % 2 === 0 ? 'POST' : 'GET';
          // The body names the other workspace: the host must take the workspace from the path only.
          const other = WORKSPACES.find((w) => w !== workspace);
          const body = method === 'POST' ? { title: `${workspace}:${c}.${i}`, workspaceId: other } : undefined;
          answered.push({ workspace, method, ...(await call(host, method, `/w/${workspace}/notes`, body)) });
        }
        return answered;
      };
      const requests = Array.from({ length: CLIENTS }, (_, c) => client(c));
      responses = (await Promise.all(requests)).flat();
    });

    afterAll(async () => {
      await host?.stop();
    });

    it('should have validated every installed package before listening', () => {
      expect(host.stdout()).toContain('Validated 2 packages: @ydtb/basic, @ydtb/crm.');
      expect(host.stdout()).toContain(`as ${app.loginRole}, ${POOL_MAX} pooled connections`);
    });

    it('should answer every request', () => {
      expect(responses.map((r) => `${r.method} ${r.status}`).filter((s) => s !== 'POST 201' && s !== 'GET 200')).toEqual([]);
    });

    it('should never return a row of another workspace', () => {
      const rows = responses.flatMap((r) => ((r.body.notes ?? [r.body.note]) as Note[]).map((note) => ({ asked: r.workspace, note })));
      expect(rows.length).toBeGreaterThan(CLIENTS * REQUESTS_PER_CLIENT);
      expect(rows.filter(({ asked, note }) => note.workspaceId !== asked || !note.title.startsWith(`${asked}:`))).toEqual([]);
    });

    it('should have stored each note in the workspace of its path', async () => {
      const stored = await owner.query<{ workspace_id: string; notes: number; foreign: number }>(
        `SELECT workspace_id, count(*)::int AS notes, count(*) FILTER (WHERE title NOT LIKE workspace_id || ':%')::int AS foreign
           FROM ydtb_basic_notes GROUP BY workspace_id ORDER BY workspace_id`,
      );
      const posted = (workspace: string) => responses.filter((r) => r.method === 'POST' && r.workspace === workspace).length;
      expect(stored).toEqual(WORKSPACES.map((workspace_id) => ({ workspace_id, notes: posted(workspace_id), foreign: 0 })));
      expect(posted('wa')).toBeGreaterThan(0);
    });

    it('should leave no workspace setting and no role on any pooled connection', async () => {
      const { body } = await call(host, 'GET', '/health/pool');
      const connections = body.connections as PooledConnection[];
      const open = await owner.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE usename = $1 AND datname = $2`, [app.loginRole, database.name]);

      expect(connections).toHaveLength(POOL_MAX);
      expect(connections.map((c) => c.pid).sort()).toEqual(open.map((o) => o.pid).sort());
      for (const connection of connections) {
        expect({ workspace: connection.workspace || null, role: connection.role }).toEqual({ workspace: null, role: app.loginRole });
      }
    });

    it('should refuse a note for a workspace that does not exist, and a note without a title', async () => {
      expect(await call(host, 'POST', '/w/nowhere/notes', { title: 'lost' })).toEqual({ status: 404, body: { error: 'Workspace "nowhere" does not exist.' } });
      expect(await call(host, 'POST', '/w/wa/notes', { body: 'no title' })).toEqual({
        status: 400,
        body: { error: '"title" must be non-empty text. Send JSON { "title": "<non-empty text, 500 characters at most>", "body": "<text, optional, 20000 characters at most>" }.' },
      });
    });

    it('should show no note to a workspace that does not exist', async () => {
      expect(await call(host, 'GET', '/w/nowhere/notes')).toEqual({ status: 200, body: { notes: [] } });
    });
  });

  describe('when it would log in as a role that row-level security does not bind', () => {
    it('should refuse to start as a superuser, saying which role to use instead', async () => {
      const failed = (await spawnHost({ DATABASE_URL: database.url }).then(
        (host) => host.stop(),
        (failure: FailedStart) => failure,
      )) as FailedStart;

      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('The host logs in as "postgres", which is a superuser, which row-level security never binds.');
      expect(failed.stderr).toContain('GRANT ydtb_app TO web;');
    });

    it('should refuse a login role not granted ydtb_app', async () => {
      const role = `${app.loginRole}_bare`;
      await owner.exec(`CREATE ROLE ${role} LOGIN`);
      try {
        const url = new URL(database.url);
        url.username = role;
        const failed = (await spawnHost({ DATABASE_URL: url.toString() }).then(
          (host) => host.stop(),
          (failure: FailedStart) => failure,
        )) as FailedStart;

        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain(`The host logs in as "${role}", which is not a member of ydtb_app`);
      } finally {
        await owner.exec(`DROP ROLE ${role}`);
      }
    });
  });
});
