import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateDrizzleJson } from 'drizzle-kit/api';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { loadMigrations } from '@ydtb/plugin-api';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../../test/test-databases.ts';
import { withWorkspace } from '../../../../../../apps/core/src/lib/isolation/with-workspace.ts';
import { createContainer } from '../../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../../apps/core/src/lib/registry/database.ts';
import { defaultRegistryConfig } from '../../../../../../apps/core/src/lib/registry/registry-config.ts';
import { generatePackageMigration } from '../generate-migration.ts';
import { migrateDatabase } from '../../../../../../apps/core/src/lib/migrations/migrate-database.ts';
import { diffSchemas } from './diff-schemas.ts';
import { serialItemsSchema, type IdKind } from './fixtures/serial-items.ts';
import { serialSequenceName, withSerialIdentitySwitches } from './serial-identity.ts';

type Db = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

const diff = (from: IdKind, to: IdKind) => diffSchemas('@test/gen', generateDrizzleJson(serialItemsSchema(from)), generateDrizzleJson(serialItemsSchema(to)));

const DROP_SERIAL_SEQUENCE = `DO $$
DECLARE
  serial_sequence text := pg_get_serial_sequence('"ydtb_gen_serials"', 'id');
BEGIN
  ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" DROP DEFAULT;
  IF serial_sequence IS NOT NULL THEN
    EXECUTE 'DROP SEQUENCE ' || serial_sequence;
  END IF;
END $$;`;
const PAST_ROWS = `SELECT setval(pg_get_serial_sequence('"ydtb_gen_serials"', 'id'), greatest(coalesce(max("id") + 1, 1), 1), false) FROM "ydtb_gen_serials";`;

afterAll(closeTemplatePglite);

describe('withSerialIdentitySwitches', () => {
  describe('when a serial id becomes an identity', () => {
    it("should drop the serial's default and sequence before drizzle-kit's ADD GENERATED, and move the identity past the rows after it", async () => {
      expect(await diff('serial', 'identity always')).toEqual([
        DROP_SERIAL_SEQUENCE,
        'ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY (sequence name "ydtb_gen_serials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);',
        PAST_ROWS,
      ]);
    });

    it.each([
      ['bigserial', 'bigint identity', 'bigint', 'ALWAYS'],
      ['smallserial', 'smallint identity', 'smallint', 'BY DEFAULT'],
      ['serial', 'identity by default', 'integer', 'BY DEFAULT'],
    ] as const)('should do the same from %s to %s, without a type change to the type it already is', async (from, to, type, generated) => {
      const statements = await diff(from, to);

      expect(statements[0]).toEqual(DROP_SERIAL_SEQUENCE);
      expect(statements[1]).toMatch(new RegExp(`^ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" ADD GENERATED ${generated} AS IDENTITY \\(sequence name "ydtb_gen_serials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE \\d+`));
      expect(statements.slice(2)).toEqual([PAST_ROWS]);
      expect(statements.join('\n')).not.toContain(`SET DATA TYPE ${type}`);
    });

    it('should never move the identity below the start the schema gives it', async () => {
      expect((await diff('serial', 'identity from 1000')).at(-1)).toBe(
        `SELECT setval(pg_get_serial_sequence('"ydtb_gen_serials"', 'id'), greatest(coalesce(max("id") + 1, 1000), 1000), false) FROM "ydtb_gen_serials";`,
      );
    });

    it('should move an identity that counts down below the rows', async () => {
      expect((await diff('serial', 'identity counting down')).at(-1)).toBe(
        `SELECT setval(pg_get_serial_sequence('"ydtb_gen_serials"', 'id'), least(coalesce(min("id") - 1, -1), -1), false) FROM "ydtb_gen_serials";`,
      );
    });
  });

  describe('when an identity id becomes a serial', () => {
    it('should drop the identity, then create the sequence serial would own, make it the default and move it past the rows', async () => {
      expect(await diff('identity always', 'serial')).toEqual([
        'ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" DROP IDENTITY;',
        'CREATE SEQUENCE "ydtb_gen_serials_id_seq" AS integer OWNED BY "ydtb_gen_serials"."id";',
        `ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" SET DEFAULT nextval('"ydtb_gen_serials_id_seq"'::regclass);`,
        PAST_ROWS,
      ]);
    });

    it("should set the type serial stands for instead of drizzle-kit's `SET DATA TYPE serial` when the type changes", async () => {
      const statements = await diff('bigint identity', 'smallserial');

      expect(statements.slice(0, 3)).toEqual([
        'ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" SET DATA TYPE smallint;',
        'ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" DROP IDENTITY;',
        'CREATE SEQUENCE "ydtb_gen_serials_id_seq" AS smallint OWNED BY "ydtb_gen_serials"."id";',
      ]);
      expect(statements.join('\n')).not.toMatch(/serial;|"smallserial"/);
    });
  });

  describe('when no column switches between serial and identity', () => {
    it("should leave drizzle-kit's statements as they are", () => {
      const snapshot = generateDrizzleJson(serialItemsSchema('serial'));
      const statements = ['ALTER TABLE "ydtb_gen_serials" ADD COLUMN "x" text;'];

      expect(withSerialIdentitySwitches(snapshot, snapshot, statements)).toEqual(statements);
    });
  });

  describe("when drizzle-kit's statement for a switch is missing", () => {
    it('should refuse rather than write a migration that fails', () => {
      const before = generateDrizzleJson(serialItemsSchema('serial'));
      const after = generateDrizzleJson(serialItemsSchema('identity always'));

      expect(() => withSerialIdentitySwitches(before, after, [])).toThrow('drizzle-kit emitted no "ALTER TABLE "ydtb_gen_serials" ALTER COLUMN "id" ADD GENERATED …"');
    });
  });
});

describe('serialSequenceName', () => {
  it('should be <table>_<column>_seq when it fits', () => {
    expect(serialSequenceName('ydtb_gen_serials', 'id')).toBe('ydtb_gen_serials_id_seq');
  });

  it('should cut the longer name first, as PostgreSQL does, to 63 characters', () => {
    const name = serialSequenceName(`ydtb_${'t'.repeat(70)}`, 'id');

    expect(name).toBe(`ydtb_${'t'.repeat(51)}_id_seq`);
    expect(name.length).toBe(63);
  });
});

describe.each(databaseKinds)('a generated serial/identity switch applied on $name', (kind) => {
  let opened: OpenedTestClient;
  let folder: string;
  let app: Db;
  let closeDb: () => Promise<void>;

  /** Generates the schema's next migration and migrates a registry holding the package as it is now. */
  async function migrateTo(id: IdKind) {
    const schema = serialItemsSchema(id);
    await generatePackageMigration({ packageName: '@test/gen', schema, folder });
    const registry = createContainer().get(DatabaseRegistry);
    registry.register({ packageName: '@test/gen', version: '1.0.0', schema, migrations: loadMigrations(pathToFileURL(`${folder}/`)) });
    return migrateDatabase(opened.client, registry, defaultRegistryConfig);
  }

  const rows = () => opened.client.query<{ id: number; label: string }>(`SELECT id::int AS id, label FROM ydtb_gen_serials ORDER BY id`);
  /** Inserts through the isolation helper, as the application role, and returns the id the database gave. */
  const insertAsApp = async (label: string) => {
    const { items } = serialItemsSchema('serial');
    const [row] = await withWorkspace(app, 'wa', (tx) => tx.insert(items).values({ workspaceId: 'wa', label }).returning({ id: items.id }));
    return Number(row!.id);
  };

  beforeEach(async () => {
    folder = join(mkdtempSync(join(tmpdir(), 'ydtb-serial-identity-')), 'migrations');
    opened = await kind.open();
    if (opened.pglite) {
      app = drizzlePglite(opened.pglite) as unknown as Db;
      closeDb = () => opened.release();
    } else {
      const sql = postgres(opened.url!, { max: 1, onnotice: () => undefined });
      app = drizzlePostgres(sql) as unknown as Db;
      closeDb = async () => {
        await sql.end();
        await opened.release();
      };
    }
  });

  afterEach(async () => {
    await closeDb();
    rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  describe('when PostgreSQL names the sequence of a serial column whose names are too long to keep', () => {
    it('should give it the name serialSequenceName gives', async () => {
      const table = `ydtb_${'t'.repeat(55)}`;
      await opened.client.exec(`CREATE TABLE "${table}" ("a_rather_long_serial_column" serial)`);

      const [row] = await opened.client.query<{ name: string }>(`SELECT pg_get_serial_sequence($1, $2) AS name`, [table, 'a_rather_long_serial_column']);

      expect(row!.name).toBe(`public.${serialSequenceName(table, 'a_rather_long_serial_column')}`);
    });
  });

  describe.each([
    ['serial', 'identity always'],
    ['bigserial', 'bigint identity'],
    ['smallserial', 'smallint identity'],
    ['identity by default', 'serial'],
  ] as const)('when the id switches from %s to %s on a table with rows', (from, to) => {
    it('should keep every id, give the next insert max + 1, and let the application role insert', async () => {
      expect((await migrateTo(from)).drift).toEqual([]);
      await opened.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a')`);
      await opened.client.exec(`INSERT INTO ydtb_gen_serials (workspace_id, label) VALUES ('wa', 'one'), ('wa', 'two'), ('wa', 'three')`);
      // An id above the sequence: the new one must start past the rows, not where the old one was.
      await opened.client.exec(`INSERT INTO ydtb_gen_serials (id, workspace_id, label) OVERRIDING SYSTEM VALUE VALUES (7, 'wa', 'seven')`);

      const result = await migrateTo(to);

      expect(result.applied.map((a) => a.migrationIds)).toEqual([['0002_migration']]);
      expect(result.drift).toEqual([]);
      expect(await rows()).toEqual([
        { id: 1, label: 'one' },
        { id: 2, label: 'two' },
        { id: 3, label: 'three' },
        { id: 7, label: 'seven' },
      ]);
      expect(await insertAsApp('eight')).toBe(8);
      expect(await insertAsApp('nine')).toBe(9);
    });
  });
});
