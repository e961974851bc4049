import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { postgresClient } from '../apps/core/src/lib/database/postgres-client';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { startPostgresServer } from './postgres-server';
import { createPglite } from './test-databases';

/** A database with the migrator's connection and the application's. */
export interface AppEngine {
  readonly name: string;
  /** The migrator's connection. */
  readonly migrator: SqlClient;
  /** The application's connection: a login role `web`, to be granted ydtb_app (PGlite has one user: the migrator's connection). */
  readonly app: SqlClient;
  close(): Promise<void>;
}

/**
 * Both engines for attack tests, `describe.each(appEngines)('… on $name', …)`. Roles are the
 * cluster's, so the PostgreSQL one is a server of its own, not a database of the shared one.
 */
export const appEngines: readonly { name: string; open(): Promise<AppEngine> }[] = [
  {
    name: 'PGlite',
    async open() {
      const client = pgliteClient(await createPglite());
      return { name: 'PGlite', migrator: client, app: client, close: () => client.close() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const server = await startPostgresServer();
      const migrator = postgresClient(server.url);
      await migrator.exec(`CREATE ROLE web LOGIN`);
      const url = new URL(server.url);
      url.username = 'web';
      const app = postgresClient(url.toString());
      return {
        name: 'PostgreSQL',
        migrator,
        app,
        close: async () => {
          await app.close();
          await migrator.close();
          await server.stop();
        },
      };
    },
  },
];
