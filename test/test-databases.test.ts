import type { PGlite } from '@electric-sql/pglite';
import { postgresClient } from '../apps/core/src/lib/database/postgres-client';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { startPostgresServer } from './postgres-server';
import { closeTemplatePglite, createPglite, createPostgresDatabase, databaseKinds, type OpenedTestClient, type TestDatabase } from './test-databases';

afterAll(closeTemplatePglite);

/** Runs `work` on a one-connection client and always closes it, so no socket outlives the test. */
async function withClient<T>(url: string, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = postgresClient(url);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

const tableNamed = (client: SqlClient, name: string) =>
  client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [name]).then(([row]) => row!.exists);

describe('the shared PostgreSQL server', () => {
  describe('when the run has started', () => {
    it('should be PostgreSQL 15 or newer', async () => {
      const url = process.env.YDTB_TEST_POSTGRES_URL!;
      const [row] = await withClient(url, (client) => client.query<{ server_version_num: string }>('show server_version_num'));
      expect(Number(row!.server_version_num)).toBeGreaterThanOrEqual(150000);
    });
  });
});

describe('startPostgresServer', () => {
  describe('when a server is stopped', () => {
    it('should no longer accept connections', async () => {
      const server = await startPostgresServer();
      try {
        await expect(withClient(server.url, (client) => client.query('select 1 as one'))).resolves.toEqual([{ one: 1 }]);
      } finally {
        await server.stop();
      }
      await expect(withClient(server.url, (client) => client.query('select 1'))).rejects.toThrow();
    });
  });
});

describe('createPostgresDatabase', () => {
  const created: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((database) => database.drop()));
  });
  const create = async () => {
    const database = await createPostgresDatabase();
    created.push(database);
    return database;
  };

  describe('when two databases are created', () => {
    it('should keep a table created in one out of the other', async () => {
      const [first, second] = await Promise.all([create(), create()]);
      expect(first.url).not.toBe(second.url);
      await withClient(first.url, (client) => client.exec('create table only_here (id int)'));
      expect(await withClient(first.url, (client) => tableNamed(client, 'only_here'))).toBe(true);
      expect(await withClient(second.url, (client) => tableNamed(client, 'only_here'))).toBe(false);
    });
  });

  describe('when a database is dropped', () => {
    it('should be gone from the server', async () => {
      const database = await create();
      await database.drop();
      const rows = await withClient(process.env.YDTB_TEST_POSTGRES_URL!, (client) =>
        client.query('select 1 from pg_database where datname = $1', [database.name]),
      );
      expect(rows).toEqual([]);
      await expect(withClient(database.url, (client) => client.query('select 1'))).rejects.toThrow(/does not exist/);
    });
  });
});

describe('createPglite', () => {
  describe('when two instances are created', () => {
    it('should keep a table created in one out of the other', async () => {
      const instances: PGlite[] = [await createPglite(), await createPglite()];
      try {
        const [first, second] = instances;
        await first!.exec('create table only_here (id int)');
        const exists = (pg: PGlite) => pg.query<{ exists: boolean }>(`select to_regclass('only_here') is not null as exists`);
        expect((await exists(first!)).rows).toEqual([{ exists: true }]);
        expect((await exists(second!)).rows).toEqual([{ exists: false }]);
      } finally {
        await Promise.all(instances.map((pg) => pg.close()));
      }
    });
  });
});

describe.each(databaseKinds)('SqlClient on $name', (kind) => {
  let opened: OpenedTestClient;
  beforeEach(async () => {
    opened = await kind.open();
  });
  afterEach(() => opened.release());

  describe('when a parameterised query runs', () => {
    it('should return its rows', async () => {
      expect(await opened.client.query('select $1::int + 1 as answer', [41])).toEqual([{ answer: 42 }]);
    });
  });

  describe('when a script of several statements runs', () => {
    it('should run every statement', async () => {
      await opened.client.exec('create table items (id int); insert into items values (1); insert into items values (2);');
      expect(await opened.client.query('select id from items order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    });
  });

  describe('when a transaction throws', () => {
    it('should roll back everything it did', async () => {
      const failing = opened.client.transaction(async (tx) => {
        await tx.exec('create table rolled_back (id int); insert into rolled_back values (1);');
        throw new Error('boom');
      });
      await expect(failing).rejects.toThrow('boom');
      expect(await tableNamed(opened.client, 'rolled_back')).toBe(false);
    });
  });

  describe('when a transaction resolves', () => {
    it('should commit and return its result', async () => {
      const result = await opened.client.transaction(async (tx) => {
        await tx.exec('create table committed (id int); insert into committed values (7);');
        return 'done';
      });
      expect(result).toBe('done');
      expect(await opened.client.query('select id from committed')).toEqual([{ id: 7 }]);
    });
  });
});
