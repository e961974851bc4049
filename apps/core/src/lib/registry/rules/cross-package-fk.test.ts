import { foreignKey, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { inspectSchema } from '../schema-inspector.ts';
import { itemsTable, registrationOf } from '../test-tables.ts';
import { CrossPackageFkRule } from './cross-package-fk.ts';
import type { RegisteredPackage } from '../../../types/database-registry.ts';
import { coreRegistration } from '../core-package.ts';

const rule = new CrossPackageFkRule(defaultRegistryConfig);
const notes = itemsTable('notes');
const notesPackage: RegisteredPackage = {
  registration: registrationOf({ notes }, { packageName: '@test/notes' }),
  ...inspectSchema({ notes }),
  warnings: [],
};
const core: RegisteredPackage = { registration: coreRegistration, ...inspectSchema(coreRegistration.schema), warnings: [] };
const registered = new Map([
  ['@ydtb/core', core],
  ['@test/notes', notesPackage],
]);

const comments = ydtbTable(
  'comments_items',
  {
    id: uuid('id').notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    noteId: uuid('note_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ name: 'ydtb_comments_note_fk', columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),
  ],
);

describe('CrossPackageFkRule', () => {
  describe('when a foreign key points at a declared dependency or at core', () => {
    it('should report nothing', () => {
      const registration = registrationOf({ comments }, { packageName: '@test/comments', dependencies: ['@test/notes'] });

      expect(runRule(rule, registration, registered)).toEqual([]);
    });
  });

  describe('when a foreign key points at ydtb_users', () => {
    it('should treat it as core\'s and need no dependency', () => {
      const notesByAuthor = ydtbTable(
        'authored_notes',
        {
          id: uuid('id').notNull(),
          workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
          authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
        },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );

      expect(runRule(rule, registrationOf({ notesByAuthor }, { packageName: '@test/authored' }), registered)).toEqual([]);
    });
  });

  describe('when the referenced package is not a dependency', () => {
    it('should name the table, the target and its owner', () => {
      const registration = registrationOf({ comments }, { packageName: '@test/comments' });

      expect(runRule(rule, registration, registered)).toEqual([
        expect.objectContaining({
          rule: 'ydtb/cross-package-fk',
          table: 'ydtb_comments_items',
          column: 'workspace_id, note_id',
          message: 'Table "ydtb_comments_items" references "ydtb_notes_items" of @test/notes, which is not listed in dependencies.',
        }),
      ]);
    });
  });

  describe('when the referenced table belongs to no package', () => {
    it('should say so', () => {
      const registration = registrationOf({ comments }, { packageName: '@test/comments', dependencies: ['@test/notes'] });

      expect(runRule(rule, registration, new Map([['@ydtb/core', core]])).map((v) => v.message)).toEqual([
        'Table "ydtb_comments_items" references "ydtb_notes_items", which no registered package declares.',
      ]);
    });
  });
});
