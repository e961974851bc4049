import { desc, eq } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { basicSchema } from '@ydtb/basic';
import type { NotesStore } from '../apps/example-host/src/notes-store';

const { notes } = basicSchema;

/**
 * The host's queries without withWorkspace: no transaction, no setting, no role switch, the
 * workspace filtered by a WHERE clause on the tables' owner's connection. The baseline of the
 * host load row only: nothing but that WHERE clause keeps workspaces apart here.
 */
export function unisolatedNotes(db: PostgresJsDatabase): NotesStore {
  return {
    list: (workspaceId, limit) => db.select().from(notes).where(eq(notes.workspaceId, workspaceId)).orderBy(desc(notes.createdAt)).limit(limit),
    create: async (workspaceId, note) => {
      const [created] = await db.insert(notes).values({ workspaceId, title: note.title, body: note.body }).returning();
      return created!;
    },
  };
}
