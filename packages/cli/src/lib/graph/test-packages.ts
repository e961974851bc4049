import { foreignKey, getTableConfig, pgSchema, pgTable, primaryKey, text, timestamp, uuid, type PgTable } from 'drizzle-orm/pg-core';
import { workspaces } from '@ydtb/plugin-api';
import { basicSchema } from '@ydtb/basic';
import type { RegisteredPackage } from '../../../../../apps/core/src/types/database-registry.ts';

/** A package as the registry would hold it, built by hand so tests can use names the rules reject. */
export function registeredPackage(packageName: string, version: string, tables: Record<string, PgTable>): RegisteredPackage {
  return {
    registration: { packageName, version, schema: tables },
    tables: Object.entries(tables).map(([exportName, table]) => ({ exportName, table, config: getTableConfig(table) })),
    views: [],
    objects: [],
    warnings: [],
  };
}

/**
 * Tables whose names Mermaid cannot take bare: spaces, a keyword, a schema-qualified name, a
 * column called like a key marker, a type with spaces; one of them references @ydtb/basic's
 * notes, so the diagram has a cross-package relationship too.
 */
export function awkwardPackage(): RegisteredPackage {
  const { notes } = basicSchema;
  const end = pgTable('end', {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
  });
  const spaced = pgTable(
    'ydtb odd table',
    {
      pk: text('pk').notNull(),
      workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
      noteId: uuid('note id'),
      endId: text('end_id').references(() => end.id),
      seenAt: timestamp('seen at', { withTimezone: true }),
    },
    (t) => [
      primaryKey({ columns: [t.workspaceId, t.pk] }),
      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),
    ],
  );
  const contacts = pgSchema('crm').table('contacts', {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
  });
  // Quotes, percent and "direction LR" cannot stay as they are even inside quotes.
  const unquotable = pgTable('ydtb "x" 5% direction LR', {
    'pk-ref': text('pk-ref').notNull().references(() => workspaces.id),
  });
  return registeredPackage('@test/awkward', '0.0.1', { end, spaced, contacts, unquotable });
}
