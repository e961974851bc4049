import { primaryKey, text } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import type { MigrationDefinition, PackageSchemaRegistration } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';

/*
 * Three small packages in a dependency chain (alpha <- beta <- gamma), with hand-written
 * migrations so tests can break one on purpose.
 */

function itemsTable(name: string) {
  return ydtbTable(
    `${name}_items`,
    {
      id: text('id').notNull(),
      workspaceId: text('workspace_id')
        .notNull()
        .references(() => workspaces.id, { onDelete: 'cascade' }),
      label: text('label').notNull(),
    },
    // Keys include workspace_id (ydtb/workspace-keys).
    (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
  );
}

export function createItemsSql(name: string): string {
  return `CREATE TABLE ydtb_${name}_items (
  id text NOT NULL,
  workspace_id text NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE,
  label text NOT NULL,
  PRIMARY KEY (workspace_id, id)
);`;
}

export function chainPackage(
  name: 'alpha' | 'beta' | 'gamma',
  migrations: MigrationDefinition[] = [{ id: '0001_init', sql: createItemsSql(name) }],
): PackageSchemaRegistration {
  const dependencies = { alpha: [], beta: ['@test/alpha'], gamma: ['@test/beta'] }[name];
  return { packageName: `@test/${name}`, version: '1.0.0', schema: { items: itemsTable(name) }, migrations, dependencies };
}

/** The names of the prefixed tables the database holds, sorted. */
export async function tableNames(client: SqlClient): Promise<string[]> {
  const rows = await client.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'ydtb_%' ORDER BY relname`);
  return rows.map((r) => r.relname);
}

/** A registry with core and `packages`, registered in the order given. */
export function registryWith(...packages: PackageSchemaRegistration[]): DatabaseRegistry {
  const registry = createContainer().get(DatabaseRegistry);
  for (const pkg of packages) registry.register(pkg);
  return registry;
}
