import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import type { PackageSchemaRegistration } from '../../types/database-registry.ts';

/** Small real Drizzle tables, one per way a package table can be right or wrong. */

/** A table that follows every rule, warnings included; `name` keeps packages' tables apart. */
export function itemsTable(name: string) {
  return ydtbTable(
    `${name}_items`,
    {
      id: uuid('id').notNull(),
      workspaceId: text('workspace_id')
        .notNull()
        .references(() => workspaces.id, { onDelete: 'cascade' }),
    },
    (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
  );
}

export const goodTable = itemsTable('demo');

export const unprefixedTable = pgTable(
  'demo_items',
  {
    id: uuid('id').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const noWorkspaceTable = ydtbTable('demo_loose', {
  id: uuid('id').primaryKey(),
  title: text('title'),
});

export const noForeignKeyTable = ydtbTable(
  'demo_unlinked',
  { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const nullableWorkspaceTable = ydtbTable('demo_nullable', {
  id: uuid('id').primaryKey(),
  workspaceId: text('workspace_id').references(() => workspaces.id),
});

export const otherTarget = ydtbTable('demo_accounts', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
});

export const wrongTargetTable = ydtbTable('demo_misdirected', {
  id: uuid('id').primaryKey(),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => otherTarget.id),
});

export const wrongColumnTable = ydtbTable('demo_by_slug', {
  id: integer('id').primaryKey(),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.slug),
});

export const sqliteItems = sqliteTable('ydtb_demo_sqlite', {
  id: sqliteText('id').primaryKey(),
  workspaceId: sqliteText('workspace_id').notNull(),
});

/** A registration of `schema` under a fresh, valid name and version. */
export function registrationOf(
  schema: Record<string, unknown>,
  overrides: Partial<PackageSchemaRegistration> = {},
): PackageSchemaRegistration {
  return { packageName: '@test/demo', version: '1.0.0', schema, ...overrides };
}
