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
  list(workspaceId: string, limit: number, signal?: AbortSignal): Promise<Note[]>;
  create(workspaceId: string, note: NewNote, signal?: AbortSignal): Promise<Note>;
}

/**
 * Every query in a withWorkspace transaction: the database's row-level security, not a WHERE
 * clause, keeps the workspace's rows apart, so a query that forgets to filter still sees only them.
 * `signal` is the request's deadline: once it aborted, a transaction that has not committed rolls
 * back, so a client answered 504 is not left with a note it was never told about, when it can be helped.
 */
export function isolatedNotes(db: PostgresJsDatabase): NotesStore {
  return {
    list: (workspaceId, limit, signal) =>
      withWorkspace(db, workspaceId, (tx) => {
        signal?.throwIfAborted();
        return tx.select().from(notes).orderBy(desc(notes.createdAt)).limit(limit);
      }),
    create: (workspaceId, note, signal) =>
      withWorkspace(db, workspaceId, async (tx) => {
        signal?.throwIfAborted();
        const [created] = await tx.insert(notes).values({ workspaceId, title: note.title, body: note.body }).returning();
        // The last moment to give up: past it, COMMIT is sent and the note is stored.
        signal?.throwIfAborted();
        return created!;
      }),
  };
}
