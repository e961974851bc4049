import type { MigrationDefinition } from '../../types/database-registry.ts';
import type { SchemaSnapshot } from './schema-snapshot.ts';

/** @test/alpha in two steps: its items table first without `label`, then `label` added. */
export const ALPHA_IN_TWO_STEPS: MigrationDefinition[] = [
  {
    id: '0001_init',
    sql: `CREATE TABLE ydtb_alpha_items (
  id text NOT NULL,
  workspace_id text NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE,
  PRIMARY KEY (workspace_id, id)
);`,
  },
  { id: '0002_label', sql: `ALTER TABLE ydtb_alpha_items ADD COLUMN label text NOT NULL DEFAULT '';` },
];

/** The schema of @test/alpha as of 0001_init, as drizzle-kit's snapshot of it reads. */
export const ALPHA_AS_OF_INIT: SchemaSnapshot = {
  tables: {
    'public.ydtb_alpha_items': {
      name: 'ydtb_alpha_items',
      columns: {
        id: { name: 'id', type: 'text', notNull: true, primaryKey: false },
        workspace_id: { name: 'workspace_id', type: 'text', notNull: true, primaryKey: false },
      },
      compositePrimaryKeys: { ydtb_alpha_items_pk: { columns: ['workspace_id', 'id'] } },
      foreignKeys: { ydtb_alpha_items_workspace_fk: { tableTo: 'ydtb_workspaces', columnsFrom: ['workspace_id'], columnsTo: ['id'] } },
    },
  },
};
