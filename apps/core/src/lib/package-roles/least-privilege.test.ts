import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { appEngines, type AppEngine } from '../../../../../test/app-engines.ts';
import { closeTemplatePglite } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE, WORKSPACE_SETTING } from '../isolation/isolation-settings.ts';
import { migrateDatabase } from '../migrations/migrate-database.ts';
import { MigrationFailedError } from '../migrations/migration-failed-error.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { eraseWorkspace } from '../tenancy/erase-workspace.ts';
import { packageRole } from './package-role.ts';

/*
 * Attacks by a package's own SQL, written to get past the migration lint (dynamic SQL in DO
 * blocks, statements the lint has no rule for): each must be refused by the database itself,
 * because the SQL runs as the package's role, which owns its objects and holds nothing else.
 * Afterwards workspace A reads no row of B, another package's rows are unchanged, and ydtb's
 * history is unchanged. Roles are cluster-wide: the PostgreSQL runs use a server of their own.
 */


const SNEAKY = '@test/sneaky';

/** basic, crm, and a package whose one migration creates its table and then runs `attack`. */
function withSneakyMigration(attack: string, securityDefinerFunctions?: Record<string, string>) {
  const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  registry.register({
    packageName: SNEAKY,
    version: '1.0.0',
    schema: {},
    ...(securityDefinerFunctions ? { securityDefinerFunctions } : {}),
    migrations: [{ id: '0001_init', sql: attack }],
  });
  return registry;
}

async function asApp<T extends object>(app: SqlClient, workspace: string | null, sql: string): Promise<T[]> {
  return app.transaction(async (tx) => {
    if (workspace) await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, workspace]);
    await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
    return tx.query<T>(sql);
  });
}

/** A checksum of everything the other packages and ydtb keep: rows, history and audit. */
async function fingerprint(client: SqlClient): Promise<string> {
  const [row] = await client.query<{ sum: string }>(`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM ydtb_basic_notes t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM ydtb_crm_contacts t),
      (SELECT string_agg(concat_ws(':', h.id, h.package_name, h.migration_id, h.status, h.applied_by, h.applied_at, h.reverted_by), ',' ORDER BY h.id) FROM ydtb_migration_history h),
      (SELECT string_agg(e::text, ',') FROM ydtb_workspace_erasures e))) AS sum`);
  return row!.sum;
}

afterAll(closeTemplatePglite);

describe.each(appEngines)('a package attacking through its own SQL on $name', (engine) => {
  let db: AppEngine;

  beforeAll(async () => {
    db = await engine.open();
    const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
    expect((await migrateDatabase(db.migrator, registry, defaultRegistryConfig)).drift).toEqual([]);
    if (db.app !== db.migrator) await db.migrator.exec(`GRANT ${APP_ROLE} TO web`);
    await db.migrator.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b')`);
    for (const ws of ['wa', 'wb']) {
      await asApp(db.app, ws, `INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('${ws}', 'note of ${ws}')`);
      await asApp(db.app, ws, `INSERT INTO ydtb_crm_contacts (workspace_id, name) VALUES ('${ws}', 'contact of ${ws}')`);
    }
    // The erasure audit holds a row to protect: a workspace erased.
    await db.migrator.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wz', 'Z', 'z')`);
    await eraseWorkspace(db.migrator, registry, defaultRegistryConfig, { workspaceId: 'wz' });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('should own the packages\' tables through their roles, not the migrator', async () => {
    const owners = await db.migrator.query<{ relname: string; owner: string }>(
      `SELECT relname::text, pg_get_userbyid(relowner)::text AS owner FROM pg_class WHERE relname IN ('ydtb_basic_notes', 'ydtb_crm_contacts') ORDER BY 1`,
    );

    expect(owners).toEqual([
      { relname: 'ydtb_basic_notes', owner: packageRole('@ydtb/basic') },
      { relname: 'ydtb_crm_contacts', owner: packageRole('@ydtb/crm') },
    ]);
  });

  /**
   * Each attack gets past the lint; the database refuses it with `refusal`, and nothing changes.
   * On PGlite the one user is a superuser, so a session authorization taken back is not refused:
   * it is caught when the SQL returns ("left its role"), and its transaction rolled back.
   */
  const attacks: readonly { name: string; sql: string; refusal: RegExp; definers?: Record<string, string> }[] = [
    { name: 'TRUNCATE another package\'s table', sql: `TRUNCATE ydtb_basic_notes CASCADE;`, refusal: /permission denied/ },
    { name: 'DELETE FROM another package\'s table', sql: `DELETE FROM ydtb_crm_contacts;`, refusal: /permission denied/ },
    { name: 'DROP another package\'s table in a DO block', sql: `DO $$ BEGIN EXECUTE format('DROP TABLE %I CASCADE', 'ydtb_basic_notes'); END $$;`, refusal: /must be owner/ },
    { name: 'rewrite the migration history', sql: `UPDATE ydtb_migration_history SET applied_by = 'nobody';`, refusal: /permission denied/ },
    { name: 'forge a history row', sql: `INSERT INTO ydtb_migration_history (package_name, migration_id, package_version, checksum, duration_ms, status) VALUES ('@ydtb/basic', '9999_x', '1', repeat('0', 64), 0, 'rolled_back');`, refusal: /permission denied/ },
    { name: 'redeem a guessed history ticket', sql: `SELECT ydtb_migration_history_redeem('guess', '{}');`, refusal: /no migration history waits for this ticket/ },
    { name: 'delete the erasure audit', sql: `DELETE FROM ydtb_workspace_erasures;`, refusal: /permission denied/ },
    { name: 'put a trigger on the schema epoch', sql: `CREATE FUNCTION ydtb_sneaky_t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER ydtb_sneaky_epoch BEFORE UPDATE ON ydtb_schema_epoch FOR EACH ROW EXECUTE FUNCTION ydtb_sneaky_t();`, refusal: /permission denied|must be owner/ },
    { name: 'create a schema of its own', sql: `DO $$ BEGIN EXECUTE format('CREATE SCHEMA %I', 'sneaky_side'); END $$;`, refusal: /permission denied/ },
    { name: 'set a database-wide workspace default', sql: `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET ydtb.workspace_id = %L', current_database(), 'wb'); END $$;`, refusal: /must be owner/ },
    { name: 'set a workspace default on the application role', sql: `DO $$ BEGIN EXECUTE format('ALTER ROLE %I SET %s = %L', 'ydtb_app', 'ydtb.workspace_id', 'wb'); END $$;`, refusal: /permission denied/ },
    { name: 'grant itself the application role', sql: `DO $$ BEGIN EXECUTE format('GRANT %I TO %I', 'ydtb_app', current_user); END $$;`, refusal: /permission denied|must have admin option/ },
    { name: 'RESET ROLE in a DO block and drop another package\'s table', sql: `DO $$ BEGIN EXECUTE format('RESET %s', 'ROLE'); EXECUTE format('DROP TABLE %I CASCADE', 'ydtb_basic_notes'); END $$;`, refusal: /must be owner|left its role/ },
    { name: 'SET ROLE to the superuser in a function it makes', sql: `CREATE FUNCTION ydtb_sneaky_role() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('SET ROLE %I', 'postgres'); END $$; SELECT ydtb_sneaky_role();`, refusal: /permission denied|left its role/ },
    { name: 'take the session user\'s rights back in a function it makes', sql: `CREATE FUNCTION ydtb_sneaky_up() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('SET SESSION AUTHORIZATION %I', 'postgres'); END $$; SELECT ydtb_sneaky_up();`, refusal: /permission denied|not permitted|left its role/ },
  ];

  describe.each(attacks)('when a migration tries to $name', ({ sql, refusal, definers }) => {
    it('should be refused by the database, and change nothing', async () => {
      const before = await fingerprint(db.migrator);

      const error = await rejectionOf(migrateDatabase(db.migrator, withSneakyMigration(sql, definers), defaultRegistryConfig));

      expect(error).toBeInstanceOf(MigrationFailedError);
      expect((error as MigrationFailedError).database.message).toMatch(refusal);
      expect(await fingerprint(db.migrator)).toBe(before);
      expect(await asApp(db.app, 'wa', `SELECT workspace_id FROM ydtb_basic_notes UNION ALL SELECT workspace_id FROM ydtb_crm_contacts`)).toEqual([
        { workspace_id: 'wa' },
        { workspace_id: 'wa' },
      ]);
      expect(await asApp(db.app, null, `SELECT workspace_id FROM ydtb_basic_notes`)).toEqual([]);
    });
  });

  describe('when a package reaches for other rows through a view, a definer function or a trigger it owns, granted to the application', () => {
    const attack = `
CREATE TABLE ydtb_sneaky_items (id serial, workspace_id text NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE, title text, PRIMARY KEY (workspace_id, id));
ALTER TABLE ydtb_sneaky_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE ydtb_sneaky_items FORCE ROW LEVEL SECURITY;
CREATE POLICY ydtb_sneaky_items_ws ON ydtb_sneaky_items USING (workspace_id = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK (workspace_id = NULLIF(current_setting('ydtb.workspace_id', true), ''));
CREATE VIEW ydtb_sneaky_notes AS SELECT * FROM ydtb_basic_notes;
CREATE FUNCTION ydtb_sneaky_all_notes() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*) FROM ydtb_basic_notes $$;
CREATE FUNCTION ydtb_sneaky_mirror() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  IF NEW.title <> 'copy' THEN INSERT INTO ydtb_sneaky_items (workspace_id, title) VALUES ('wb', 'copy'); END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ydtb_sneaky_mirror AFTER INSERT ON ydtb_sneaky_items FOR EACH ROW EXECUTE FUNCTION ydtb_sneaky_mirror();`;
    const role = packageRole(SNEAKY);

    it('should be refused by the database on every path: the package role has no right on those rows, and its own are bound by row-level security', async () => {
      // The definers are declared, so the pipeline's own checks let them through: only the database stands in the way.
      const registry = withSneakyMigration(attack, { ydtb_sneaky_all_notes: 'counts notes', ydtb_sneaky_mirror: 'mirrors items' });
      await migrateDatabase(db.migrator, registry, defaultRegistryConfig);
      // As a careless owner would: the package role grants the application everything it made.
      await db.migrator.transaction(async (tx) => {
        await tx.exec(`SET LOCAL ROLE ${role}`);
        await tx.exec(`GRANT SELECT ON ydtb_sneaky_notes TO ${APP_ROLE}; GRANT EXECUTE ON FUNCTION ydtb_sneaky_all_notes() TO ${APP_ROLE};
          GRANT SELECT, INSERT ON ydtb_sneaky_items TO ${APP_ROLE}; GRANT USAGE ON SEQUENCE ydtb_sneaky_items_id_seq TO ${APP_ROLE};`);
      });

      expect((await rejectionOf(asApp(db.app, 'wa', `SELECT * FROM ydtb_sneaky_notes`))).message).toMatch(/permission denied for table ydtb_basic_notes/);
      expect((await rejectionOf(asApp(db.app, 'wa', `SELECT ydtb_sneaky_all_notes()`))).message).toMatch(/permission denied for table ydtb_basic_notes/);
      const insert = await rejectionOf(asApp(db.app, 'wa', `INSERT INTO ydtb_sneaky_items (workspace_id, title) VALUES ('wa', 'secret')`));
      expect(insert.message).toMatch(/row-level security/);
      expect(await db.migrator.query(`SELECT workspace_id FROM ydtb_sneaky_items`)).toEqual([]);
    });
  });
});
