import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { startPostgresServer, type PostgresServer } from '../../../../../test/postgres-server.ts';
import { closeTemplatePglite, createPglite } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import { pgliteClient } from '../database/pglite-client.ts';
import { postgresClient } from '../database/postgres-client.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { ledgerRegistration } from '../isolation/fixtures/ledger-package.ts';
import { APP_ROLE } from '../isolation/isolation-settings.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import type { Drift } from './drift.ts';
import { driftOf, migrateDatabase } from './migrate-database.ts';

/*
 * A no-op migrate skips the full verification when nothing changed since the last clean one: with
 * the event trigger (the migrator is a superuser) or with the catalog fingerprint (it is the
 * database owner, no superuser). Every drift made after a clean verification must still be found
 * by the next no-op migrate and by db status. Role attributes are cluster-wide, so PostgreSQL runs
 * on a server of its own.
 */

type Mode = 'trigger' | 'fingerprint';

interface Database {
  /** The migrator's connection. */
  readonly migrator: SqlClient;
  /** Runs SQL as a superuser on the same database, as an operator (or an accident) would. */
  admin(sql: string): Promise<void>;
  close(): Promise<void>;
}

interface Engine {
  readonly name: string;
  open(mode: Mode): Promise<Database>;
  stop(): Promise<void>;
}

const MIGRATOR = 'ydtb_test_owner';
/** Makes MIGRATOR, a non-superuser that may create roles, the owner of the current database. */
const OWNER_SETUP = `CREATE ROLE ${MIGRATOR} LOGIN CREATEROLE;
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO ${MIGRATOR}', current_database()); END $$;
ALTER SCHEMA public OWNER TO ${MIGRATOR};`;

function pgliteEngine(): Engine {
  return {
    name: 'PGlite',
    async open(mode) {
      const client = pgliteClient(await createPglite());
      if (mode === 'trigger') return { migrator: client, admin: (sql) => client.exec(sql), close: () => client.close() };
      // One session: the migrator is the session's role, the operator steps out of it.
      await client.exec(`${OWNER_SETUP}\nSET ROLE ${MIGRATOR};`);
      return { migrator: client, admin: (sql) => client.exec(`RESET ROLE;\n${sql};\nSET ROLE ${MIGRATOR};`), close: () => client.close() };
    },
    stop: async () => undefined,
  };
}

function postgresEngine(): Engine {
  let server: PostgresServer | undefined;
  let databases = 0;
  const url = (database: string, role = 'postgres') => {
    const u = new URL(server!.url);
    u.username = role;
    u.pathname = `/${database}`;
    return u.toString();
  };
  return {
    name: 'PostgreSQL',
    async open(mode) {
      server ??= await startPostgresServer();
      const name = `app_${mode}_${databases++}`;
      const root = postgresClient(server.url);
      await root.exec(`CREATE DATABASE ${name}`);
      await root.close();
      const admin = postgresClient(url(name));
      if (mode === 'fingerprint') {
        await admin.exec(`DO $$ BEGIN CREATE ROLE ${MIGRATOR} LOGIN CREATEROLE; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER DATABASE ${name} OWNER TO ${MIGRATOR}; ALTER SCHEMA public OWNER TO ${MIGRATOR};`);
      }
      const migrator = mode === 'trigger' ? admin : postgresClient(url(name, MIGRATOR));
      return {
        migrator,
        admin: (sql) => admin.exec(sql),
        close: async () => {
          if (migrator !== admin) await migrator.close();
          await admin.close();
        },
      };
    },
    stop: async () => server?.stop(),
  };
}

const engines = [pgliteEngine(), postgresEngine()];

afterAll(async () => {
  for (const engine of engines) await engine.stop();
  await closeTemplatePglite();
});

const registry = (() => {
  const db = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  db.register(ledgerRegistration);
  return db;
})();

const kinds = (drift: readonly Drift[]) => [...new Set(drift.map((d) => d.kind))].sort();

/** A change made after a clean verification, what status and the next migrate must report, and how to undo what migrate cannot. */
interface Case {
  readonly name: string;
  readonly sql: string;
  readonly status: readonly string[];
  /** Drift kinds the next migrate restores (reported as restored) and those it still finds (reported as drift, exit 1). */
  readonly restored: (mode: Mode) => readonly string[];
  readonly remaining: (mode: Mode) => readonly string[];
  readonly undo?: (mode: Mode) => string | undefined;
}

const CASES: readonly Case[] = [
  {
    name: 'row-level security disabled',
    sql: `ALTER TABLE ydtb_basic_notes DISABLE ROW LEVEL SECURITY`,
    status: ['isolation'],
    restored: () => ['isolation'],
    remaining: () => [],
  },
  {
    name: 'the workspace policy altered',
    sql: `ALTER POLICY ydtb_workspace_isolation ON ydtb_crm_contacts USING (true)`,
    status: ['isolation'],
    restored: () => ['isolation'],
    remaining: () => [],
  },
  {
    name: 'a column dropped',
    sql: `ALTER TABLE ydtb_crm_contacts DROP COLUMN email`,
    status: ['missing-column'],
    restored: () => [],
    remaining: () => ['missing-column'],
    undo: () => `ALTER TABLE ydtb_crm_contacts ADD COLUMN email text`,
  },
  {
    name: 'a grant to the application role',
    sql: `GRANT TRUNCATE ON ydtb_basic_notes TO ${APP_ROLE}`,
    status: ['privileges'],
    restored: () => ['privileges'],
    remaining: () => [],
  },
  {
    name: 'a view set to read with its owner\'s rights',
    sql: `ALTER VIEW ydtb_ledger_totals SET (security_invoker = false)`,
    status: ['view'],
    restored: () => ['view'],
    remaining: () => [],
  },
  {
    name: 'BYPASSRLS given to the application role',
    sql: `ALTER ROLE ${APP_ROLE} BYPASSRLS`,
    status: ['app-role'],
    // Taking BYPASSRLS away takes a superuser: the owner says it could not.
    restored: (mode) => (mode === 'trigger' ? ['app-role'] : []),
    remaining: (mode) => (mode === 'trigger' ? [] : ['app-role', 'restore-failed']),
    undo: (mode) => (mode === 'trigger' ? undefined : `ALTER ROLE ${APP_ROLE} NOBYPASSRLS`),
  },
];

describe.each(engines)('no-op verification on $name', (engine) => {
  describe.each(['trigger', 'fingerprint'] as const)('with the %s', (mode) => {
    const shortcut = mode === 'trigger' ? 'schema-epoch' : 'catalog-fingerprint';
    let db: Database;
    const migrate = (verify = false) => migrateDatabase(db.migrator, registry, defaultRegistryConfig, { verify });
    const status = () => driftOf(db.migrator, registry, defaultRegistryConfig);

    beforeAll(async () => {
      db = await engine.open(mode);
      const first = await migrate();
      expect({ drift: first.drift, verification: first.verification }).toEqual({ drift: [], verification: 'full' });
    }, 120_000);

    afterAll(async () => {
      await db?.close();
    });

    beforeEach(async () => {
      // Every case starts from a clean verification that a no-op trusts.
      if ((await migrate()).verification === 'full') expect((await migrate()).verification).toBe(shortcut);
    });

    it(`should skip the full verification of a no-op by the ${shortcut}, and verify everything with --verify`, async () => {
      const noop = await migrate();
      expect({ applied: noop.applied, drift: noop.drift, verification: noop.verification }).toEqual({ applied: [], drift: [], verification: shortcut });
      expect(noop.plan.packages.map((p) => [p.packageName, p.applied, p.pending])).toEqual([
        ['@ydtb/core', ['0001_init'], []],
        ['@ydtb/basic', ['0001_init'], []],
        ['@ydtb/crm', ['0001_init', '0002_note_link_index'], []],
        ['@test/ledger', ['0001_init'], []],
      ]);
      const verified = await migrate(true);
      expect({ drift: verified.drift, verification: verified.verification }).toEqual({ drift: [], verification: 'full' });
    });

    it.each(CASES)('should find $name in db status and in the next no-op migrate', async (drift) => {
      await db.admin(drift.sql);

      expect(kinds(await status())).toEqual(drift.status);
      const next = await migrate();
      expect({ verification: next.verification, restored: kinds(next.restored), drift: kinds(next.drift) }).toEqual({
        verification: 'full',
        restored: drift.restored(mode),
        drift: drift.remaining(mode),
      });

      const undo = drift.undo?.(mode);
      if (undo) await db.admin(undo);
      expect((await migrate()).drift).toEqual([]);
      expect((await migrate()).verification).toBe(shortcut);
    });

    it('should verify everything once a trigger on the epoch marks every epoch verified', async () => {
      // The event trigger's own UPDATE of the epoch fires it: the epoch looks verified from the start.
      await db.admin(`CREATE FUNCTION ydtb_mark_verified() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.verified_epoch := NEW.epoch; RETURN NEW; END $$;
        CREATE TRIGGER always_verified BEFORE UPDATE ON ydtb_schema_epoch FOR EACH ROW EXECUTE FUNCTION ydtb_mark_verified()`);
      try {
        const next = await migrate();
        expect(next.verification).toBe('full');
        expect(next.drift.map((d) => [d.kind, d.table])).toContainEqual(['trigger', 'always_verified on ydtb_schema_epoch']);
        expect((await migrate()).verification).toBe('full');
      } finally {
        await db.admin(`DROP TRIGGER always_verified ON ydtb_schema_epoch; DROP FUNCTION ydtb_mark_verified()`);
      }
      expect((await migrate()).drift).toEqual([]);
      // The table "once had" a trigger until a VACUUM says otherwise: until then every no-op verifies everything.
      expect((await migrate()).verification).toBe('full');
      await db.migrator.exec(`VACUUM ydtb_schema_epoch`);
      expect((await migrate()).verification).toBe(shortcut);
    });

    it('should verify everything once a database-wide workspace default is set, which no event trigger sees', async () => {
      const database = (sql: string) => `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I ${sql}', current_database()); END $$`;
      await db.admin(database(`SET ydtb.workspace_id = ''x''`));
      try {
        const next = await migrate();
        expect({ verification: next.verification, drift: kinds(next.drift) }).toEqual({ verification: 'full', drift: ['role-setting'] });
      } finally {
        await db.admin(database('RESET ydtb.workspace_id'));
      }
      expect((await migrate()).drift).toEqual([]);
      expect((await migrate()).verification).toBe(shortcut);
    });

    it('should not count temporary tables a session makes', async () => {
      await db.admin(`CREATE TEMP TABLE ydtb_scratch (a int); DROP TABLE ydtb_scratch`);

      expect((await migrate()).verification).toBe(shortcut);
    });

    it('should look at the history again when it changed', async () => {
      const [row] = await db.migrator.query<{ checksum: string }>(`SELECT checksum FROM ydtb_migration_history WHERE package_name = '@ydtb/crm' AND migration_id = '0001_init'`);
      await db.admin(`UPDATE ydtb_migration_history SET checksum = repeat('0', 64) WHERE package_name = '@ydtb/crm' AND migration_id = '0001_init'`);
      try {
        expect((await rejectionOf(migrate())).constructor.name).toBe('ChecksumMismatchError');
      } finally {
        await db.admin(`UPDATE ydtb_migration_history SET checksum = '${row!.checksum}' WHERE package_name = '@ydtb/crm' AND migration_id = '0001_init'`);
      }
      // The refused run made sure of its tables first (CREATE TABLE IF NOT EXISTS counts as DDL): verified once more.
      const next = await migrate();
      expect({ verification: next.verification, drift: next.drift }).toEqual({ verification: mode === 'trigger' ? 'full' : shortcut, drift: [] });
      expect((await migrate()).verification).toBe(shortcut);
    });

    if (mode === 'trigger') {
      it.each([
        ['disabled', `ALTER EVENT TRIGGER ydtb_schema_epoch_ddl DISABLE`],
        ['dropped', `DROP EVENT TRIGGER ydtb_schema_epoch_drop`],
        ['its function replaced', `CREATE OR REPLACE FUNCTION ydtb_schema_epoch_bump() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$`],
      ])('should report the event trigger %s, verify everything and make it again', async (_how, sql) => {
        await db.admin(sql);

        expect(kinds(await status())).toEqual(['schema-epoch']);
        const next = await migrate();
        expect({ verification: next.verification, restored: kinds(next.restored), drift: next.drift }).toEqual({ verification: 'full', restored: ['schema-epoch'], drift: [] });
        expect(await status()).toEqual([]);
        expect((await migrate()).verification).toBe(shortcut);
      });

      it('should find a change made while the event trigger was disabled, even once it is enabled again', async () => {
        await db.admin(`ALTER EVENT TRIGGER ydtb_schema_epoch_ddl DISABLE;
ALTER TABLE ydtb_basic_notes NO FORCE ROW LEVEL SECURITY;
ALTER EVENT TRIGGER ydtb_schema_epoch_ddl ENABLE ALWAYS`);

        const next = await migrate();
        expect({ verification: next.verification, restored: kinds(next.restored), drift: next.drift }).toEqual({
          verification: 'full',
          restored: ['isolation'],
          drift: [],
        });
      });

      it('should not see a direct update of the catalog, which --verify and db status find', async () => {
        await db.admin(`UPDATE pg_class SET relforcerowsecurity = false WHERE relname = 'ydtb_basic_notes' AND relnamespace = current_schema()::regnamespace`);

        // What the event trigger cannot see (it fires on DDL only) is what the README says the shortcut loses.
        expect((await migrate()).verification).toBe('schema-epoch');
        expect(kinds(await status())).toEqual(['isolation']);
        const verified = await migrate(true);
        expect({ verification: verified.verification, restored: kinds(verified.restored) }).toEqual({ verification: 'full', restored: ['isolation'] });
      });

      it('should count a schema change by another role, which needs no right on the epoch table, and not its temporary tables', async () => {
        const epoch = async () => Number((await db.migrator.query<{ epoch: string }>(`SELECT epoch::text AS epoch FROM ydtb_schema_epoch`))[0]!.epoch);
        await db.admin(`CREATE ROLE ydtb_test_other; GRANT CREATE ON SCHEMA public TO ydtb_test_other`);
        try {
          const before = await epoch();
          await db.admin(`SET ROLE ydtb_test_other; CREATE TEMP TABLE other_scratch (a int); DROP TABLE other_scratch; RESET ROLE`);
          expect(await epoch()).toBe(before);

          await db.admin(`SET ROLE ydtb_test_other; CREATE TABLE other_things (a int); RESET ROLE`);

          expect(await epoch()).toBe(before + 1);
          expect((await migrate()).verification).toBe('full');
          await db.admin(`DROP TABLE other_things`);
        } finally {
          await db.admin(`RESET ROLE; REVOKE CREATE ON SCHEMA public FROM ydtb_test_other; DROP ROLE ydtb_test_other`);
        }
      });
    } else {
      it('should see a direct update of the catalog by its fingerprint', async () => {
        await db.admin(`UPDATE pg_class SET relforcerowsecurity = false WHERE relname = 'ydtb_basic_notes' AND relnamespace = 'public'::regnamespace`);

        const next = await migrate();
        expect({ verification: next.verification, restored: kinds(next.restored) }).toEqual({ verification: 'full', restored: ['isolation'] });
      });

      it('should make no event trigger: a database owner is no superuser', async () => {
        expect(await db.migrator.query(`SELECT evtname FROM pg_event_trigger`)).toEqual([]);
      });
    }
  });
});
