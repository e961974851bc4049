import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, type TestDatabase } from '../../../../test/test-databases.ts';
import { openDatabase } from '../../../../apps/core/src/lib/database/open-database.ts';
import { EXIT } from './cli-io.ts';
import { runCliCaptured } from './run-cli-captured.ts';

const config = 'packages/cli/src/lib/graph/fixtures/basic-modules.ts';
const tables = ['ydtb_basic_note_tags', 'ydtb_basic_notes'];

/**
 * What `drizzle-kit push` (or `drizzle-kit migrate`, or psql) leaves: @ydtb/basic's tables created
 * from its own SQL outside the pipeline, so without forced row-level security, policies or grants.
 */
function pushedTablesScript(): string {
  const shipped = readFileSync('packages/basic/migrations/0001_init.sql', 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => !/CREATE TYPE/.test(statement));
  return [`DROP TABLE ${tables.join(', ')}`, ...shipped].join(';\n');
}

interface Target {
  readonly env: Record<string, string>;
  readonly database?: TestDatabase;
}

describe.each<{ name: string; target: () => Promise<Target> }>([
  { name: 'PGlite', target: async () => ({ env: { YDTB_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'ydtb-push-')), 'pglite') } }) },
  {
    name: 'PostgreSQL',
    target: async () => {
      const database = await createPostgresDatabase();
      return { env: { DATABASE_URL: database.url }, database };
    },
  },
])('when tables of a migrated package are re-created outside the pipeline on $name', ({ target }) => {
  let env: Record<string, string>;
  let database: TestDatabase | undefined;
  const ydtb = (command: string) => runCliCaptured([...command.split(' '), '--config', config], { env });

  beforeAll(async () => {
    ({ env, database } = await target());
    expect((await ydtb('db migrate')).code).toBe(EXIT.ok);
    const { client } = await openDatabase({ url: env.DATABASE_URL, dataDir: env.YDTB_DATA_DIR, cwd: process.cwd() });
    try {
      await client.exec(pushedTablesScript());
    } finally {
      await client.close();
    }
  });

  afterAll(async () => {
    await database?.drop();
    if (env?.YDTB_DATA_DIR) rmSync(join(env.YDTB_DATA_DIR, '..'), { recursive: true, force: true });
  });

  it('should make db status exit 4 naming each table without row-level security and the privileges the app role lacks, then db migrate restore them', async () => {
    const status = await ydtb('db status');

    expect(status.code).toBe(EXIT.attention);
    for (const table of tables) {
      expect(status.out).toContain(`isolation @ydtb/basic: Table "${table}" of @ydtb/basic: row-level security is disabled. Run ydtb db migrate to restore it.`);
      expect(status.out).toContain(
        `privileges @ydtb/basic: The application role ydtb_app lacks SELECT, INSERT, UPDATE, DELETE on table "${table}" of @ydtb/basic; it must hold SELECT, INSERT, UPDATE, DELETE.`,
      );
    }

    const migrate = await ydtb('db migrate');
    const after = await ydtb('db status');

    expect(migrate.code).toBe(EXIT.ok);
    expect(migrate.out).toContain('@ydtb/basic: 0 applied, 2 tables secured');
    expect(after.code).toBe(EXIT.ok);
    expect(after.out).toContain('@ydtb/basic 1.0.0: 1 applied, 0 pending, 0 drift');
    expect(after.out).toContain('Up to date.');
  });
});
