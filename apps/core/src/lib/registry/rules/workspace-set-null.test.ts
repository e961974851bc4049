import { foreignKey, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { tasks } from '../fixtures/rejected-schemas.ts';
import { WorkspaceSetNullRule } from './workspace-set-null.ts';

const rule = new WorkspaceSetNullRule(defaultRegistryConfig);

describe('WorkspaceSetNullRule', () => {
  describe('when SET NULL is on a foreign key without workspace_id', () => {
    it('should accept it (a nullable reference to ydtb_users)', () => {
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });
  });

  describe('when a self-reference that includes workspace_id says ON DELETE SET NULL', () => {
    it('should reject it, explain the NOT NULL failure and suggest cascade or restrict', () => {
      expect(runRule(rule, registrationOf({ tasks }))).toEqual([
        expect.objectContaining({
          rule: 'ydtb/workspace-set-null',
          table: 'ydtb_todo_tasks',
          column: 'workspace_id, parent_id',
          message:
            'The foreign key ydtb_todo_tasks_parent_fk of "ydtb_todo_tasks" includes workspace_id and says ON DELETE SET NULL: it would set workspace_id to NULL too, so deleting the referenced row fails on workspace_id\'s NOT NULL.',
          hint: expect.stringContaining(".onDelete('cascade') or .onDelete('restrict')"),
        }),
      ]);
    });
  });

  describe('when the workspace foreign key itself says SET NULL, or a key says SET DEFAULT on update', () => {
    it('should report each action', () => {
      const notes = ydtbTable(
        'demo_notes',
        {
          id: uuid('id').notNull(),
          workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'set null' }),
          authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
          parentId: uuid('parent_id'),
        },
        (t) => [
          primaryKey({ columns: [t.workspaceId, t.id] }),
          foreignKey({ name: 'ydtb_demo_notes_parent_fk', columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }).onUpdate('set default'),
        ],
      );

      expect(runRule(rule, registrationOf({ notes })).map((v) => v.message)).toEqual([
        'The foreign key ydtb_demo_notes_workspace_id_ydtb_workspaces_id_fk of "ydtb_demo_notes" includes workspace_id and says ON DELETE SET NULL: it would set workspace_id to NULL too, so deleting the referenced row fails on workspace_id\'s NOT NULL.',
        'The foreign key ydtb_demo_notes_parent_fk of "ydtb_demo_notes" includes workspace_id and says ON UPDATE SET DEFAULT: it would set workspace_id to its default too, moving the row to another workspace.',
      ]);
    });
  });
});
