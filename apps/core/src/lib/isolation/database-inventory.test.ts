import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { invoicingModule } from '@ydtb/fixture-invoicing';
import { teamsModule } from '@ydtb/fixture-teams';
import { startPostgresServer, type PostgresServer } from '../../../../../test/postgres-server.ts';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../test/test-databases.ts';
import { postgresClient } from '../database/postgres-client.ts';
import type { SqlClient } from '../database/sql-client.ts';
import type { Drift } from '../migrations/drift.ts';
import { driftOf, migrateDatabase, securityModelOf } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { databaseInventory } from './database-inventory.ts';
import { ledgerRegistration } from './fixtures/ledger-package.ts';
import { probeIsolation } from './isolation-probe.ts';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings.ts';
import { packageRole } from '../package-roles/package-role.ts';
import { probeTargets } from '../migrations/migrate-database.ts';

const config = defaultRegistryConfig;

/** basic, crm, both fixtures and the ledger (a serial id, a view, a global table, a declared definer). */
function fullRegistry(): DatabaseRegistry {
  const registry = createContainer([basicModule, crmModule, invoicingModule, teamsModule]).get(DatabaseRegistry);
  registry.register(ledgerRegistration);
  return registry;
}

/** basic, crm and the ledger (its declared SECURITY DEFINER function). */
function basicCrmLedger(): DatabaseRegistry {
  const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  registry.register(ledgerRegistration);
  return registry;
}

const named = (drift: readonly Drift[]) => drift.map((d) => [d.kind, d.table]);

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('the inventory of a database migrated normally on $name', (kind) => {
  let opened: OpenedTestClient;
  const registry = fullRegistry();
  const inventory = () => databaseInventory(opened.client, securityModelOf(registry, config));

  beforeAll(async () => {
    opened = await kind.open();
    expect((await migrateDatabase(opened.client, registry, config)).drift).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await opened.release();
  });

  it('should find nothing, and cost one query', async () => {
    await inventory();
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) expect(await inventory()).toEqual([]);
    const perRun = (performance.now() - started) / runs;
    // The figure for the docs; the bound only catches a query gone quadratic.
    console.info(`database inventory on ${kind.name}: ${perRun.toFixed(2)} ms a run`);
    expect(perRun).toBeLessThan(500);
    expect(await driftOf(opened.client, registry, config)).toEqual([]);
  });

  it('should report a schema of its own with a definer function, and a trigger running it, until they are dropped', async () => {
    await opened.client.exec(`CREATE SCHEMA s;
      CREATE FUNCTION s.mirror() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER mirror AFTER INSERT ON ydtb_basic_notes FOR EACH ROW EXECUTE FUNCTION s.mirror();`);

    expect(named(await inventory())).toEqual([
      ['foreign-object', 's.mirror()'],
      ['schema', 's'],
      ['trigger', 'mirror on ydtb_basic_notes'],
    ]);

    await opened.client.exec(`DROP SCHEMA s CASCADE`);
    expect(await inventory()).toEqual([]);
  });

  it('should let the probe see a workspace default that no transaction sets', async () => {
    await opened.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('x', 'X', 'x') ON CONFLICT DO NOTHING;
      INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('x', 'note of x')`);
    const model = securityModelOf(registry, config);
    expect(await probeIsolation(opened.client, probeTargets(model))).toEqual([]);

    // A session-level default: what a connection string's options or a pooler's init statement gives.
    // PGlite has one session, so this is the default there; PostgreSQL's pool sets it on every new connection below.
    if (opened.pglite) {
      await opened.client.exec(`SET ${WORKSPACE_SETTING} = 'x'`);
      try {
        const findings = await probeIsolation(opened.client, probeTargets(model));
        expect(findings.map((f) => [f.relation, f.workspaceSet, f.settingAbsent])).toEqual([['ydtb_basic_notes', false, true]]);
      } finally {
        await opened.client.exec(`RESET ${WORKSPACE_SETTING}`);
      }
      return;
    }
    const database = new URL(opened.url!).pathname.slice(1);
    await opened.client.exec(`ALTER DATABASE ${database} SET ${WORKSPACE_SETTING} = 'x'`);
    const fresh = postgresClient(opened.url!);
    try {
      const findings = await probeIsolation(fresh, probeTargets(model));
      expect(findings.map((f) => [f.relation, f.workspaceSet, f.settingAbsent])).toEqual([['ydtb_basic_notes', false, true]]);
      expect(findings[0]!.visibleRows).toBe(1);
      expect((await driftOf(fresh, registry, config)).map((d) => d.message)).toContain(
        `A default of ${WORKSPACE_SETTING}=x is set for database ${database}: a session that sets no workspace starts with it, and reads and writes that workspace's rows. Remove it: ALTER DATABASE "${database}" RESET ${WORKSPACE_SETTING}.`,
      );
    } finally {
      await fresh.close();
      await opened.client.exec(`ALTER DATABASE ${database} RESET ${WORKSPACE_SETTING}`);
    }
  });
});

/**
 * Attacks, on a server of their own: roles and role settings are cluster-wide. Each one is made
 * the way a migration or an operator would, then must be named by the inventory, by `db status`'s
 * drift and by a migrate's result.
 */
describe('attacks the inventory reports on PostgreSQL', () => {
  let server: PostgresServer;
  let owner: SqlClient;
  const registry = basicCrmLedger();
  const model = securityModelOf(registry, config);
  const inventory = () => databaseInventory(owner, model);

  beforeAll(async () => {
    server = await startPostgresServer();
    owner = postgresClient(server.url);
    expect((await migrateDatabase(owner, registry, config)).drift).toEqual([]);
    await owner.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b')`);
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await server?.stop();
  });

  it('should start from a clean inventory', async () => {
    expect(await inventory()).toEqual([]);
  });

  it('should report a definer function in another schema and the trigger that copies each note into every workspace (class 1)', async () => {
    await owner.exec(`CREATE SCHEMA s;
      CREATE FUNCTION s.mirror() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF NEW.title NOT LIKE 'copy:%' THEN
          INSERT INTO ydtb_basic_notes (workspace_id, title) SELECT w.id, 'copy:' || NEW.title FROM ydtb_workspaces w WHERE w.id <> NEW.workspace_id;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER mirror AFTER INSERT ON ydtb_basic_notes FOR EACH ROW EXECUTE FUNCTION s.mirror();`);

    const drift = await driftOf(owner, registry, config);
    const migrated = await migrateDatabase(owner, registry, config);

    for (const found of [drift, migrated.drift]) {
      expect(named(found)).toEqual(expect.arrayContaining([['schema', 's'], ['foreign-object', 's.mirror()'], ['trigger', 'mirror on ydtb_basic_notes']]));
    }
    const trigger = drift.find((d) => d.kind === 'trigger')!;
    expect(trigger.packageName).toBe('@ydtb/basic');
    expect(trigger.message).toContain('its function s.mirror() is outside the schema the registry migrates');
    expect(trigger.message).toContain('DROP TRIGGER "mirror" ON ydtb_basic_notes');
    await owner.exec(`DROP SCHEMA s CASCADE`);
    expect(await inventory()).toEqual([]);
  });

  it('should report a database-wide and a role-level workspace default (class 3)', async () => {
    await owner.exec(`ALTER DATABASE postgres SET ${WORKSPACE_SETTING} = 'wa'; ALTER ROLE ${APP_ROLE} SET ${WORKSPACE_SETTING} = 'wb'; ALTER ROLE ${APP_ROLE} SET search_path = s, public;`);
    try {
      expect(named(await inventory())).toEqual([
        ['role-setting', 'database postgres: ydtb.workspace_id'],
        ['role-setting', `role ${APP_ROLE} in every database: search_path`],
        ['role-setting', `role ${APP_ROLE} in every database: ydtb.workspace_id`],
      ]);
      expect(named((await migrateDatabase(owner, registry, config, { verify: true })).drift)).toContainEqual(['role-setting', 'database postgres: ydtb.workspace_id']);
    } finally {
      await owner.exec(`ALTER DATABASE postgres RESET ${WORKSPACE_SETTING}; ALTER ROLE ${APP_ROLE} RESET ALL;`);
    }
    expect(await inventory()).toEqual([]);
  });

  it('should report a trigger on the schema epoch, whatever its function (class 4)', async () => {
    await owner.exec(`CREATE FUNCTION ydtb_mark_verified() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.verified_epoch := NEW.epoch; RETURN NEW; END $$;
      CREATE TRIGGER always_verified BEFORE UPDATE ON ydtb_schema_epoch FOR EACH ROW EXECUTE FUNCTION ydtb_mark_verified();`);
    try {
      const drift = await driftOf(owner, registry, config);
      expect(named(drift)).toContainEqual(['trigger', 'always_verified on ydtb_schema_epoch']);
      expect(drift.find((d) => d.kind === 'trigger')!.message).toContain("it is on ydtb's own table");
    } finally {
      await owner.exec(`DROP TRIGGER always_verified ON ydtb_schema_epoch; DROP FUNCTION ydtb_mark_verified();`);
    }
  });

  it('should report an event trigger, a policy and a grant on the history, and default privileges for the application role and PUBLIC', async () => {
    await owner.exec(`CREATE FUNCTION ydtb_watch() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
      CREATE EVENT TRIGGER watch ON ddl_command_end EXECUTE FUNCTION ydtb_watch();
      ALTER TABLE ydtb_migration_history ENABLE ROW LEVEL SECURITY;
      CREATE POLICY hide ON ydtb_migration_history USING (false);
      GRANT UPDATE ON ydtb_migration_history TO PUBLIC;
      ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO ${APP_ROLE};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO PUBLIC;`);
    try {
      expect(named(await inventory())).toEqual([
        // Schema-level defaults add to the built-in ones: even EXECUTE for PUBLIC is stored, and reported.
        ['default-privileges', 'postgres in public: functions'],
        ['default-privileges', 'postgres in public: sequences'],
        ['default-privileges', 'postgres: tables'],
        ['event-trigger', 'watch'],
        ['own-table', 'ydtb_migration_history'],
        ['policy', 'ydtb_migration_history'],
      ]);
      expect((await inventory()).find((d) => d.kind === 'own-table')!.message).toContain(
        'but PUBLIC holds rights on it, and row-level security is on, so a policy can hide or let through its rows',
      );
    } finally {
      await owner.exec(`DROP EVENT TRIGGER watch; DROP FUNCTION ydtb_watch();
        DROP POLICY hide ON ydtb_migration_history; ALTER TABLE ydtb_migration_history DISABLE ROW LEVEL SECURITY;
        REVOKE UPDATE ON ydtb_migration_history FROM PUBLIC;
        ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM ${APP_ROLE};
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE ON SEQUENCES FROM PUBLIC;`);
    }
    expect(await inventory()).toEqual([]);
  });

  it('should report a package role that owns what no package declares, holds attributes, a membership and settings', async () => {
    // The roles exist: migrating made them. (A declared object owned by the wrong role is the
    // security state's `owner` drift, which migrate gives back: not the inventory's.)
    const crm = packageRole('@ydtb/crm');
    await owner.exec(`ALTER ROLE ${crm} CREATEDB;
      GRANT ${APP_ROLE} TO ${crm};
      ALTER ROLE ${crm} SET role = postgres;
      ALTER TABLE ydtb_workspaces OWNER TO ${crm};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${crm} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;`);
    try {
      const found = await inventory();
      expect(named(found)).toEqual([
        ['default-privileges', `${crm}: functions`],
        ['ownership', 'ydtb_workspaces'],
        ['package-role', crm],
        ['role-setting', `role ${crm} in every database: role`],
      ]);
      expect(found.find((d) => d.kind === 'package-role')!.message).toContain(`has CREATEDB, membership in ${APP_ROLE}`);
      expect(found.find((d) => d.table === 'ydtb_workspaces')!.message).toContain(`is owned by the package role ${crm}, but no package declares it`);
    } finally {
      await owner.exec(`ALTER TABLE ydtb_workspaces OWNER TO postgres;
        ALTER DEFAULT PRIVILEGES FOR ROLE ${crm} GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
        ALTER ROLE ${crm} NOCREATEDB; REVOKE ${APP_ROLE} FROM ${crm}; ALTER ROLE ${crm} RESET role;`);
    }
    expect(await inventory()).toEqual([]);
  });
});
