import { foreignKey, integer, primaryKey, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { CoreReferenceTypesRule } from './core-reference-types.ts';

const rule = new CoreReferenceTypesRule(defaultRegistryConfig);

describe('CoreReferenceTypesRule', () => {
  describe('when the workspace column and references to users are text or varchar', () => {
    it('should accept them', () => {
      const accounts = ydtbTable(
        'demo_accounts',
        {
          id: varchar('id', { length: 36 }).notNull(),
          workspaceId: varchar('workspace_id', { length: 256 }).notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
          ownerId: varchar('owner_id', { length: 256 }).references(() => users.id, { onDelete: 'set null' }),
        },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );
      expect(runRule(rule, registrationOf({ accounts }))).toEqual([]);
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });
  });

  describe('when a workspace column is an integer (a port of an SQLite app)', () => {
    it('should name the column, its type and the type to use', () => {
      const projects = ydtbTable(
        'demo_projects',
        {
          id: integer('id').notNull(),
          workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
        },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );
      expect(runRule(rule, registrationOf({ projects }))).toEqual([
        {
          rule: 'ydtb/core-reference-types',
          severity: 'error',
          packageName: '@test/demo',
          table: 'ydtb_demo_projects',
          column: 'workspace_id',
          message:
            'Column "ydtb_demo_projects.workspace_id" is integer, but ydtb_workspaces.id is text: PostgreSQL cannot compare integer with text, so the foreign key and the workspace policy on it cannot be created. Declare it as text(\'workspace_id\').',
          hint: expect.stringContaining("Core's ids are text: declare the column with text('<name>')"),
        },
      ]);
    });
  });

  describe('when a reference to ydtb_users is a uuid, in a named foreign key', () => {
    it('should report it once, naming ydtb_users.id', () => {
      const notes = ydtbTable(
        'demo_notes',
        {
          id: uuid('id').notNull(),
          workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
          authorId: uuid('author_id'),
        },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ name: 'ydtb_demo_notes_author_fk', columns: [t.authorId], foreignColumns: [users.id] })],
      );
      expect(runRule(rule, registrationOf({ notes })).map((v) => [v.column, v.message])).toEqual([
        [
          'author_id',
          'Column "ydtb_demo_notes.author_id" is uuid, but ydtb_users.id is text: PostgreSQL cannot compare uuid with text, so the foreign key and the workspace policy on it cannot be created. Declare it as text(\'author_id\').',
        ],
      ]);
    });
  });
});
