import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { appEngines, type AppEngine } from '../../../../../test/app-engines.ts';
import { closeTemplatePglite } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import type { Drift } from '../migrations/drift.ts';
import { driftOf, migrateDatabase } from '../migrations/migrate-database.ts';
import { MigrationFailedError } from '../migrations/migration-failed-error.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { ledgerRegistration } from './fixtures/ledger-package.ts';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings.ts';

/*
 * Attacks on the paths around the package tables: views, functions, grants, the application
 * role's attributes and memberships, ownership, extra policies. For each: the drift names it,
 * migrate restores it (or refuses), and afterwards workspace A reads no row of B by any path.
 * Role attributes and memberships are cluster-wide, so the PostgreSQL runs use a server of their own.
 */


const registry = () => {
  const container = createContainer([basicModule, crmModule]);
  const db = container.get(DatabaseRegistry);
  db.register(ledgerRegistration);
  return db;
};

/** The installed packages and one more whose only migration is `sql`. */
function withSneakyMigration(sql: string) {
  const packages = registry();
  packages.register({ packageName: '@test/sneaky', version: '1.0.0', schema: {}, migrations: [{ id: '0001_init', sql }] });
  return packages;
}

/** Runs `sql` as the application would: in a transaction for `workspace` (or none), as ydtb_app. */
async function asApp<T extends object>(app: SqlClient, workspace: string | null, sql: string): Promise<T[]> {
  return app.transaction(async (tx) => {
    if (workspace) await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, workspace]);
    await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
    return tx.query<T>(sql);
  });
}

/** Every path a request of workspace A has to rows: package tables and the package view. */
const PATHS = ['ydtb_basic_notes', 'ydtb_basic_note_tags', 'ydtb_crm_contacts', 'ydtb_crm_contact_notes', 'ydtb_ledger_entries', 'ydtb_ledger_totals'];

async function rowsOfBSeenByA(app: SqlClient): Promise<number> {
  let seen = 0;
  for (const path of PATHS) {
    const [row] = await asApp<{ n: number }>(app, 'wa', `SELECT count(*)::int AS n FROM ${path} WHERE workspace_id = 'wb'`);
    seen += row!.n;
  }
  return seen;
}

const kinds = (drift: readonly Drift[]) => drift.map((d) => [d.kind, d.table]);

afterAll(closeTemplatePglite);

describe.each(appEngines)('side doors on $name', (engine) => {
  let db: AppEngine;
  const packages = registry();
  const migrate = () => migrateDatabase(db.migrator, packages, defaultRegistryConfig);
  const drift = (probe = false) => driftOf(db.migrator, packages, defaultRegistryConfig, { probe });

  beforeAll(async () => {
    db = await engine.open();
    expect((await migrate()).drift).toEqual([]);
    if (db.app !== db.migrator) await db.migrator.exec(`GRANT ${APP_ROLE} TO web`);
    await db.migrator.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b')`);
    for (const ws of ['wa', 'wb']) {
      await asApp(db.app, ws, `INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('${ws}', 'note of ${ws}')`);
      await asApp(db.app, ws, `INSERT INTO ydtb_crm_contacts (workspace_id, name) VALUES ('${ws}', 'contact of ${ws}')`);
      // A serial id: the application role needs the sequence, granted with the table.
      await asApp(db.app, ws, `INSERT INTO ydtb_ledger_entries (workspace_id, currency, amount) VALUES ('${ws}', 'EUR', 10), ('${ws}', 'USD', 5)`);
    }
  }, 120_000);

  afterAll(async () => {
    await db.close();
  });

  describe('when the package is migrated as shipped', () => {
    it('should let the application insert through serial ids and read its totals through the view', async () => {
      expect(await asApp(db.app, 'wa', `SELECT id, amount FROM ydtb_ledger_entries ORDER BY id`)).toEqual([
        { id: expect.any(Number), amount: 10 },
        { id: expect.any(Number), amount: 5 },
      ]);
      expect(await asApp(db.app, 'wa', `SELECT workspace_id, total FROM ydtb_ledger_totals`)).toEqual([{ workspace_id: 'wa', total: 15 }]);
      expect(await asApp(db.app, null, `SELECT * FROM ydtb_ledger_totals`)).toEqual([]);
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
    });

    it('should let the application read a global table but not write it', async () => {
      expect(await asApp(db.app, 'wa', `SELECT code FROM ydtb_ledger_currencies ORDER BY code`)).toEqual([{ code: 'EUR' }, { code: 'USD' }]);
      const error = await rejectionOf(asApp(db.app, 'wa', `INSERT INTO ydtb_ledger_currencies VALUES ('GBP', 'Pound')`));
      expect(error.message).toContain('permission denied');
    });

    it('should let the application run a declared SECURITY DEFINER function, which sees only the workspace: its owner, the package role, is bound by row-level security', async () => {
      expect(await asApp(db.app, 'wa', `SELECT ydtb_ledger_entry_count()::int AS n`)).toEqual([{ n: 2 }]);
      expect(await asApp(db.app, null, `SELECT ydtb_ledger_entry_count()::int AS n`)).toEqual([{ n: 0 }]);
      expect(await drift()).toEqual([]);
    });

    it('should find nothing with the isolation probe', async () => {
      expect(await drift(true)).toEqual([]);
    });
  });

  describe('when a view over a package table is created and granted to the application role', () => {
    it('should report it, revoke it, and keep B out of reach', async () => {
      await db.migrator.exec(`CREATE VIEW ydtb_basic_everything AS SELECT * FROM ydtb_basic_notes; GRANT SELECT ON ydtb_basic_everything TO ${APP_ROLE};`);
      expect(kinds(await drift())).toEqual(expect.arrayContaining([['privileges', 'ydtb_basic_everything'], ['view', 'ydtb_basic_everything']]));

      const result = await migrate();

      expect(kinds(result.restored)).toEqual([['privileges', 'ydtb_basic_everything']]);
      expect(kinds(result.drift)).toEqual([['view', 'ydtb_basic_everything']]);
      expect((await rejectionOf(asApp(db.app, 'wa', `SELECT * FROM ydtb_basic_everything`))).message).toContain('permission denied');
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
      await db.migrator.exec(`DROP VIEW ydtb_basic_everything`);
    });
  });

  describe('when a package view stops reading with the caller\'s rights', () => {
    it('should be caught by the drift and restored, while its owner, the package role, still sees one workspace only', async () => {
      await db.migrator.exec(`ALTER VIEW ydtb_ledger_totals RESET (security_invoker)`);
      const found = await drift(true);
      // Reading with the owner's rights reads as the package role, which forced row-level security binds: the probe sees nothing.
      expect(kinds(found)).toEqual([['view', 'ydtb_ledger_totals']]);
      expect(await rowsOfBSeenByA(db.app)).toBe(0);

      const result = await migrate();

      expect(result.drift).toEqual([]);
      expect(result.probed).toBe(true);
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
    });
  });

  describe('when a package view keeps reading with the caller\'s rights but reaches other workspaces through a declared function', () => {
    it('should be found by the isolation probe alone', async () => {
      // Every catalog check still passes: the view exists with security_invoker, its grants are
      // unchanged, the SECURITY DEFINER function is the declared one. Only reading it shows the leak.
      await db.migrator.exec(`CREATE OR REPLACE VIEW ydtb_ledger_totals WITH (security_invoker = true) AS
        SELECT workspace_id, sum(amount)::int AS total FROM ydtb_ledger_entries GROUP BY workspace_id
        UNION ALL SELECT 'everyone', ydtb_ledger_entry_count()::int`);
      try {
        expect(await drift()).toEqual([]);

        const found = await drift(true);

        expect(found).toEqual([
          {
            kind: 'isolation-probe',
            packageName: '@test/ledger',
            table: 'ydtb_ledger_totals',
            message: `The isolation probe, as ${APP_ROLE} with a workspace that has no rows, saw 1 rows of other workspaces through "ydtb_ledger_totals" of @test/ledger.`,
          },
          {
            kind: 'isolation-probe',
            packageName: '@test/ledger',
            table: 'ydtb_ledger_totals',
            message: `The isolation probe, as ${APP_ROLE} with no workspace set, saw 1 rows of other workspaces through "ydtb_ledger_totals" of @test/ledger.`,
          },
        ]);
      } finally {
        await db.migrator.exec(`CREATE OR REPLACE VIEW ydtb_ledger_totals WITH (security_invoker = true) AS
          SELECT workspace_id, sum(amount)::int AS total FROM ydtb_ledger_entries GROUP BY workspace_id`);
      }
      expect(await drift(true)).toEqual([]);
    });
  });

  describe('when the application role may no longer read a package table', () => {
    it('should be named by the isolation probe, which could not read it, and restored', async () => {
      await db.migrator.exec(`REVOKE SELECT ON ydtb_crm_contacts FROM ${APP_ROLE}`);

      const probed = (await drift(true)).filter((d) => d.kind === 'isolation-probe');

      expect(probed.map((d) => d.message)).toEqual([
        expect.stringMatching(new RegExp(`^The isolation probe could not read "ydtb_crm_contacts" of @ydtb/crm as ${APP_ROLE}: permission denied for table ydtb_crm_contacts\\.$`)),
        expect.stringMatching(new RegExp(`^The isolation probe could not read "ydtb_crm_contacts" of @ydtb/crm as ${APP_ROLE}: permission denied for table ydtb_crm_contacts\\.$`)),
      ]);
      expect((await migrate()).drift).toEqual([]);
      expect(await drift(true)).toEqual([]);
    });
  });

  describe('when a materialized view is created and granted', () => {
    it('should report it and revoke the grant', async () => {
      await db.migrator.exec(`CREATE MATERIALIZED VIEW ydtb_basic_snapshot AS SELECT * FROM ydtb_basic_notes; GRANT SELECT ON ydtb_basic_snapshot TO ${APP_ROLE};`);

      const result = await migrate();

      expect(kinds(result.restored)).toEqual([['privileges', 'ydtb_basic_snapshot']]);
      expect(result.drift.map((d) => d.message)).toEqual(['Materialized view "ydtb_basic_snapshot" exists but no registered package declares it; the application role may not read it.']);
      expect((await rejectionOf(asApp(db.app, 'wa', `SELECT * FROM ydtb_basic_snapshot`))).message).toContain('permission denied');
      await db.migrator.exec(`DROP MATERIALIZED VIEW ydtb_basic_snapshot`);
    });
  });

  describe('when an undeclared SECURITY DEFINER function is created outside migrations', () => {
    it('should report it, take EXECUTE away, and keep reporting it', async () => {
      await db.migrator.exec(`CREATE FUNCTION ydtb_all_notes() RETURNS SETOF ydtb_basic_notes LANGUAGE sql SECURITY DEFINER AS $$ SELECT * FROM ydtb_basic_notes $$`);
      expect((await drift()).map((d) => d.message)).toEqual(
        expect.arrayContaining([expect.stringContaining('Function ydtb_all_notes() is SECURITY DEFINER'), 'Function ydtb_all_notes() may be run by PUBLIC. Run ydtb db migrate to restore it.']),
      );

      const result = await migrate();

      expect(kinds(result.drift)).toEqual([['function', 'ydtb_all_notes()']]);
      expect((await rejectionOf(asApp(db.app, null, `SELECT * FROM ydtb_all_notes()`))).message).toContain('permission denied');
      await db.migrator.exec(`DROP FUNCTION ydtb_all_notes()`);
      expect(await drift()).toEqual([]);
    });
  });

  describe('when a package migration creates an undeclared SECURITY DEFINER function', () => {
    it('should roll the package back and name the function', async () => {
      const sneaky = withSneakyMigration(
        `CREATE TABLE ydtb_sneaky_marker (id int);\nCREATE FUNCTION ydtb_sneaky_read() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*) FROM ydtb_basic_notes $$;`,
      );

      const error = await rejectionOf(migrateDatabase(db.migrator, sneaky, defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationFailedError);
      expect(error.message).toContain('creates the SECURITY DEFINER function ydtb_sneaky_read()');
      expect(await db.migrator.query(`SELECT to_regclass('ydtb_sneaky_marker') AS t, to_regproc('ydtb_sneaky_read') AS f`)).toEqual([{ t: null, f: null }]);
    });
  });

  describe('when a rewrite rule is put on a package table', () => {
    it('should report it on every run until it is dropped, and refuse one in a package migration', async () => {
      await db.migrator.exec(`CREATE RULE copy_all AS ON INSERT TO ydtb_crm_contacts DO ALSO INSERT INTO ydtb_basic_notes (workspace_id, title) SELECT workspace_id, title FROM ydtb_basic_notes`);

      const result = await migrate();

      expect(result.drift.map((d) => d.message)).toEqual([
        'Table "ydtb_crm_contacts" has the rewrite rule "copy_all": a rule\'s actions run with the table owner\'s rights and can get around row-level security. Drop it (DROP RULE "copy_all" ON "ydtb_crm_contacts") and use a SECURITY INVOKER trigger instead.',
      ]);
      await db.migrator.exec(`DROP RULE copy_all ON ydtb_crm_contacts`);
      expect(await drift()).toEqual([]);

      const sneaky = withSneakyMigration(`CREATE RULE copy_all AS ON INSERT TO ydtb_crm_contacts DO ALSO NOTIFY leak;`);
      const error = await rejectionOf(migrateDatabase(db.migrator, sneaky, defaultRegistryConfig));
      // The package's role does not own crm's table: the database refuses before any check needs to.
      expect(error.message).toContain('must be owner of table ydtb_crm_contacts');
      expect(await db.migrator.query(`SELECT rulename FROM pg_rules WHERE tablename = 'ydtb_crm_contacts'`)).toEqual([]);
    });
  });

  describe('when keys that leave the workspace are added by hand', () => {
    it('should report them until they are replaced, and refuse them in a package migration', async () => {
      await db.migrator.exec(`CREATE UNIQUE INDEX ydtb_basic_notes_id_everywhere ON ydtb_basic_notes (id);
        ALTER TABLE ydtb_crm_contact_notes ADD CONSTRAINT ydtb_crm_contact_notes_any_note_fk FOREIGN KEY (note_id) REFERENCES ydtb_basic_notes (id);`);

      const result = await migrate();

      expect(kinds(result.drift)).toEqual([
        ['workspace-keys', 'ydtb_basic_notes'],
        ['workspace-keys', 'ydtb_crm_contact_notes'],
      ]);
      expect(result.drift[0]?.message).toContain('The unique index "ydtb_basic_notes_id_everywhere" (id) of "ydtb_basic_notes" does not include the workspace column');
      await db.migrator.exec(`ALTER TABLE ydtb_crm_contact_notes DROP CONSTRAINT ydtb_crm_contact_notes_any_note_fk; DROP INDEX ydtb_basic_notes_id_everywhere;`);
      expect(await drift()).toEqual([]);

      const error = await rejectionOf(migrateDatabase(db.migrator, withSneakyMigration(`CREATE UNIQUE INDEX ydtb_sneaky_email ON ydtb_crm_contacts (email);`), defaultRegistryConfig));
      expect(error.message).toContain('must be owner of table ydtb_crm_contacts');
      expect(await db.migrator.query(`SELECT to_regclass('ydtb_sneaky_email') AS i`)).toEqual([{ i: null }]);
    });
  });

  describe('when the application role is given BYPASSRLS', () => {
    it('should report it and take it away', async () => {
      await db.migrator.exec(`ALTER ROLE ${APP_ROLE} BYPASSRLS`);
      expect((await drift()).map((d) => d.message)).toEqual([`The application role ${APP_ROLE} has BYPASSRLS, which bypasses row-level security. Run ydtb db migrate to restore it.`]);
      expect(await rowsOfBSeenByA(db.app)).toBeGreaterThan(0);

      const result = await migrate();

      expect(kinds(result.restored)).toEqual([['app-role', APP_ROLE]]);
      expect(result.drift).toEqual([]);
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
    });
  });

  describe('when the application role is made a member of the table owner', () => {
    it('should report the membership and revoke it', async () => {
      const [{ owner }] = (await db.migrator.query<{ owner: string }>(`SELECT current_user AS owner`)) as [{ owner: string }];
      await db.migrator.exec(`GRANT "${owner}" TO ${APP_ROLE}`);
      const found = await drift();
      expect(found.map((d) => d.message)).toContain(`The application role ${APP_ROLE} is a member of ${owner} and inherits its rights. Run ydtb db migrate to restore it.`);
      // Everything the owner may do, the role may now do: each inherited right is named too.
      expect(found.map((d) => d.message)).toContain(
        `The application role ${APP_ROLE} holds SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER on table "ydtb_users" (not a package relation: off limits to it); it must hold nothing. Run ydtb db migrate to restore it.`,
      );

      expect((await migrate()).drift).toEqual([]);
      expect(await db.migrator.query(`SELECT count(*)::int AS n FROM pg_auth_members WHERE member = '${APP_ROLE}'::regrole`)).toEqual([{ n: 0 }]);
    });
  });

  describe('when the application role is given a package table, or rights beyond its own', () => {
    it('should give ownership back and hold exactly the expected privileges', async () => {
      await db.migrator.exec(`ALTER TABLE ydtb_crm_contacts OWNER TO ${APP_ROLE}`);
      await db.migrator.exec(`GRANT SELECT ON ydtb_users TO ${APP_ROLE}; GRANT TRUNCATE ON ydtb_basic_notes TO ${APP_ROLE}; GRANT UPDATE ON ydtb_ledger_currencies TO PUBLIC; GRANT SELECT (package_name) ON ydtb_migration_history TO ${APP_ROLE};`);
      expect(kinds(await drift())).toEqual(
        expect.arrayContaining([
          ['app-role', APP_ROLE],
          ['privileges', 'ydtb_users'],
          ['privileges', 'ydtb_basic_notes'],
          ['privileges', 'ydtb_ledger_currencies'],
          ['privileges', 'ydtb_migration_history'],
        ]),
      );

      const result = await migrate();

      expect(result.drift).toEqual([]);
      expect((await rejectionOf(asApp(db.app, 'wa', `SELECT * FROM ydtb_users`))).message).toContain('permission denied');
      expect((await rejectionOf(asApp(db.app, 'wa', `TRUNCATE ydtb_basic_notes`))).message).toContain('permission denied');
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
    });
  });

  describe('when another permissive policy is added to a package table', () => {
    it('should drop it on the next migrate', async () => {
      await db.migrator.exec(`CREATE POLICY open_all ON ydtb_crm_contacts AS PERMISSIVE FOR SELECT TO PUBLIC USING (true)`);
      expect(await rowsOfBSeenByA(db.app)).toBeGreaterThan(0);

      const result = await migrate();

      expect(kinds(result.restored)).toEqual([['isolation', 'ydtb_crm_contacts']]);
      expect(result.drift).toEqual([]);
      expect(await rowsOfBSeenByA(db.app)).toBe(0);
    });
  });
});
