import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { startPostgresServer, type PostgresServer } from '../../../../../test/postgres-server.ts';
import { postgresClient } from '../database/postgres-client.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { migrateDatabase } from '../migrations/migrate-database.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings.ts';

/*
 * The roles a production deployment uses: the migrator owns the database but is no superuser
 * (it may create roles), the application logs in as its own role granted ydtb_app. A server of
 * its own, because roles are cluster-wide.
 */
describe('migrating as the database owner, not a superuser', () => {
  let server: PostgresServer;
  let admin: SqlClient;
  let migrator: SqlClient;
  let app: SqlClient;
  const registry = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
  const migrate = () => migrateDatabase(migrator, registry, defaultRegistryConfig);
  const as = (role: string, database: string) => {
    const url = new URL(server.url);
    url.username = role;
    url.pathname = `/${database}`;
    return postgresClient(url.toString());
  };

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = postgresClient(server.url);
    await admin.exec(`CREATE ROLE migrator LOGIN CREATEROLE; CREATE ROLE web LOGIN;`);
    await admin.exec(`CREATE DATABASE app OWNER migrator`);
    migrator = as('migrator', 'app');
    app = as('web', 'app');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await migrator?.close();
    await admin?.close();
    await server?.stop();
  });

  it('should migrate, verify and probe cleanly', async () => {
    const result = await migrate();

    expect(result.drift).toEqual([]);
    expect(result.probed).toBe(true);
  });

  it('should let the application work in its workspace only', async () => {
    await migrator.exec(`GRANT ${APP_ROLE} TO web; INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b');`);
    for (const ws of ['wa', 'wb']) {
      await app.transaction(async (tx) => {
        await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, ws]);
        await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
        await tx.query(`INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ($1, 'hello')`, [ws]);
      });
    }
    const seen = await app.transaction(async (tx) => {
      await tx.query(`SELECT set_config($1, 'wa', true)`, [WORKSPACE_SETTING]);
      await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
      return tx.query(`SELECT workspace_id FROM ydtb_basic_notes`);
    });
    expect(seen).toEqual([{ workspace_id: 'wa' }]);
  });

  describe('when a superuser gives the application role BYPASSRLS', () => {
    it('should say the migrator could not take it away, and why', async () => {
      await admin.exec(`ALTER ROLE ${APP_ROLE} BYPASSRLS`);

      const result = await migrate();

      // The probe, run because a restore was attempted, sees the leak for itself.
      expect(result.drift.map((d) => d.kind)).toEqual(['app-role', 'restore-failed', 'isolation-probe', 'isolation-probe']);
      expect(result.drift[1]?.message).toMatch(/^Could not restore security with `ALTER ROLE ydtb_app NOBYPASSRLS;`: .*permission denied|must be superuser/);
      expect(result.drift[1]?.message).toContain('changing SUPERUSER or BYPASSRLS takes a superuser');
      await admin.exec(`ALTER ROLE ${APP_ROLE} NOBYPASSRLS`);
      expect((await migrate()).drift).toEqual([]);
    });
  });
});
