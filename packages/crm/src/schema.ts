import { relations } from 'drizzle-orm';
import { foreignKey, index, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { basicSchema } from '@ydtb/basic';

export const contacts = ydtbTable(
  'crm_contacts',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'ydtb_crm_contacts_pk', columns: [table.workspaceId, table.id] }),
    // Unique per workspace: two workspaces may know the same person.
    unique('ydtb_crm_contacts_email_key').on(table.workspaceId, table.email),
  ],
);

/** Notes (from @ydtb/basic) attached to a contact: the cross-package link. */
export const contactNotes = ydtbTable(
  'crm_contact_notes',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull(),
    noteId: uuid('note_id').notNull(),
  },
  (table) => [
    primaryKey({ name: 'ydtb_crm_contact_notes_pk', columns: [table.workspaceId, table.contactId, table.noteId] }),
    foreignKey({
      name: 'ydtb_crm_contact_notes_contact_fk',
      columns: [table.workspaceId, table.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }).onDelete('cascade'),
    // Carries workspace_id too, so a contact can only be linked to a note of its own workspace.
    foreignKey({
      name: 'ydtb_crm_contact_notes_note_fk',
      columns: [table.workspaceId, table.noteId],
      foreignColumns: [basicSchema.notes.workspaceId, basicSchema.notes.id],
    }).onDelete('cascade'),
    // The primary key leads with (workspace_id, contact_id); deleting a note looks its links up by (workspace_id, note_id).
    index('ydtb_crm_contact_notes_note_idx').on(table.workspaceId, table.noteId),
  ],
);

export const contactsRelations = relations(contacts, ({ many }) => ({
  notes: many(contactNotes),
}));

export const contactNotesRelations = relations(contactNotes, ({ one }) => ({
  contact: one(contacts, {
    fields: [contactNotes.workspaceId, contactNotes.contactId],
    references: [contacts.workspaceId, contacts.id],
  }),
  note: one(basicSchema.notes, {
    fields: [contactNotes.workspaceId, contactNotes.noteId],
    references: [basicSchema.notes.workspaceId, basicSchema.notes.id],
  }),
}));
