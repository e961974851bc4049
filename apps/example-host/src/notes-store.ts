import { desc } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { basicSchema } from '@ydtb/basic';
import { withWorkspace } from '@ydtb/core';

const { notes } = basicSchema;

export type Note = typeof notes.$inferSelect;

export interface NewNote {
  readonly title: string;
  readonly body?: string;
}

/** Reads and writes of @ydtb/basic's notes, always for one workspace. */
export interface NotesStore {
  list(workspaceId: string, limit: number): Promise<Note[]>;
  create(workspaceId: string, note: NewNote): Promise<Note>;
}

/**
 * Every query in a withWorkspace transaction: the database's row-level security, not a WHERE
 * clause, keeps the workspace's rows apart, so a query that forgets to filter still sees only them.
 */
export function isolatedNotes(db: PostgresJsDatabase): NotesStore {
  return {
    list: (workspaceId, limit) =>
      withWorkspace(db, workspaceId, (tx) => tx.select().from(notes).orderBy(desc(notes.createdAt)).limit(limit)),
    create: (workspaceId, note) =>
      withWorkspace(db, workspaceId, async (tx) => {
        const [created] = await tx.insert(notes).values({ workspaceId, title: note.title, body: note.body }).returning();
        return created!;
      }),
  };
}
