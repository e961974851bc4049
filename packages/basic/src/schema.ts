import { relations } from 'drizzle-orm';
import { foreignKey, index, pgEnum, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';

export const noteStatus = pgEnum('ydtb_basic_note_status', ['draft', 'published', 'archived']);

export const notes = ydtbTable(
  'basic_notes',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    status: noteStatus('status').notNull().default('draft'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'ydtb_basic_notes_pk', columns: [table.workspaceId, table.id] }),
    index('ydtb_basic_notes_workspace_created_idx').on(table.workspaceId, table.createdAt),
  ],
);

export const noteTags = ydtbTable(
  'basic_note_tags',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    noteId: uuid('note_id').notNull(),
    tag: text('tag').notNull(),
  },
  (table) => [
    primaryKey({ name: 'ydtb_basic_note_tags_pk', columns: [table.workspaceId, table.noteId, table.tag] }),
    // The FK carries workspace_id so a tag can never point at another workspace's note.
    foreignKey({
      name: 'ydtb_basic_note_tags_note_fk',
      columns: [table.workspaceId, table.noteId],
      foreignColumns: [notes.workspaceId, notes.id],
    }).onDelete('cascade'),
  ],
);

export const notesRelations = relations(notes, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [notes.workspaceId], references: [workspaces.id] }),
  tags: many(noteTags),
}));

export const noteTagsRelations = relations(noteTags, ({ one }) => ({
  note: one(notes, { fields: [noteTags.workspaceId, noteTags.noteId], references: [notes.workspaceId, notes.id] }),
}));
