import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { primaryKey, text, varchar } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable, type PackageSchemaRegistration } from '@ydtb/plugin-api';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { asWorkspace } from '../tenancy/fixtures/life-cycle-fixtures.ts';
import { driftOf, migrateDatabase } from './migrate-database.ts';
import { rollbackPackage } from './rollback-package.ts';

/*
 * A package ported with a varchar(256) workspace column moves it to text. PostgreSQL refuses to
 * change the type of a column a policy uses; the pipeline lifts the workspace policy in the
 * migration's transaction and writes it again before the commit.
 */

const config = defaultRegistryConfig;

function docsTable(workspaceColumn: 'varchar' | 'text') {
  return ydtbTable(
    'retype_docs',
    {
      id: text('id').notNull(),
      workspaceId: (workspaceColumn === 'varchar' ? varchar('workspace_id', { length: 256 }) : text('workspace_id'))
        .notNull()
        .references(() => workspaces.id, { onDelete: 'cascade' }),
      title: text('title').notNull(),
    },
    (t) => [primaryKey({ name: 'ydtb_retype_docs_pk', columns: [t.workspaceId, t.id] })],
  );
}

const INIT = {
  id: '0001_init',
  sql: `CREATE TABLE ydtb_retype_docs (
  id text NOT NULL,
  workspace_id varchar(256) NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE,
  title text NOT NULL,
  CONSTRAINT ydtb_retype_docs_pk PRIMARY KEY (workspace_id, id)
);`,
};
const TO_TEXT = {
  id: '0002_workspace_id_text',
  sql: 'ALTER TABLE "ydtb_retype_docs" ALTER COLUMN "workspace_id" SET DATA TYPE text;',
  down: '-- ydtb:allow ydtb/lint-column-type back to the varchar the port had; every workspace id fits in 256\nALTER TABLE "ydtb_retype_docs" ALTER COLUMN "workspace_id" SET DATA TYPE varchar(256);',
};

function registry(version: 1 | 2): DatabaseRegistry {
  const registration: PackageSchemaRegistration = {
    packageName: '@test/retype',
    version: `${version}.0.0`,
    schema: { docs: docsTable(version === 1 ? 'varchar' : 'text') },
    migrations: version === 1 ? [INIT] : [INIT, TO_TEXT],
  };
  const registry = createContainer().get(DatabaseRegistry);
  registry.register(registration);
  return registry;
}

afterAll(closeTemplatePglite);

describe.each(databaseKinds)('changing a workspace column from varchar to text on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    expect((await migrateDatabase(client, registry(1), config)).drift).toEqual([]);
    await client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b')`);
    for (const ws of ['wa', 'wb']) {
      await asWorkspace(client, ws, (tx) => tx.query(`INSERT INTO ydtb_retype_docs (id, workspace_id, title) VALUES ('d1', $1, $2), ('d2', $1, $3)`, [ws, `one of ${ws}`, `two of ${ws}`]));
    }
  });

  afterEach(() => release());

  it('should migrate with the rows and the workspace policy intact', async () => {
    const result = await migrateDatabase(client, registry(2), config);

    expect(result.applied.flatMap((p) => p.migrationIds)).toEqual(['0002_workspace_id_text']);
    expect(result.drift).toEqual([]);
    expect(await driftOf(client, registry(2), config)).toEqual([]);
    const [column] = await client.query<{ data_type: string }>(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ydtb_retype_docs' AND column_name = 'workspace_id'`);
    expect(column).toEqual({ data_type: 'text' });
    for (const ws of ['wa', 'wb']) {
      const rows = await asWorkspace(client, ws, (tx) => tx.query<{ workspace_id: string; title: string }>(`SELECT workspace_id, title FROM ydtb_retype_docs ORDER BY id`));
      expect(rows).toEqual([
        { workspace_id: ws, title: `one of ${ws}` },
        { workspace_id: ws, title: `two of ${ws}` },
      ]);
    }
    const [policy] = await client.query<{ qual: string }>(`SELECT qual FROM pg_policies WHERE tablename = 'ydtb_retype_docs' AND policyname = 'ydtb_workspace_isolation'`);
    expect(policy?.qual).toBe("(workspace_id = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))");
  });

  it('should roll it back to varchar the same way', async () => {
    await migrateDatabase(client, registry(2), config);

    const result = await rollbackPackage(client, registry(2), config, { packageName: '@test/retype' });

    expect(result.migrations.map((m) => m.migrationId)).toEqual(['0002_workspace_id_text']);
    const [column] = await client.query<{ data_type: string }>(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ydtb_retype_docs' AND column_name = 'workspace_id'`);
    expect(column).toEqual({ data_type: 'character varying' });
    expect(await driftOf(client, registry(1), config)).toEqual([]);
    expect(await asWorkspace(client, 'wb', (tx) => tx.query(`SELECT id FROM ydtb_retype_docs ORDER BY id`))).toEqual([{ id: 'd1' }, { id: 'd2' }]);
  });
});
