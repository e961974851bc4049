import { foreignKey, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { WorkspaceCascadeRule } from './workspace-cascade.ts';

const rule = new WorkspaceCascadeRule(defaultRegistryConfig);

/** A workspace table whose foreign key to ydtb_workspaces says `onDelete`, with an optional second reference to another workspace. */
function notesWith(onDelete?: 'cascade' | 'restrict' | 'no action' | 'set null', movedFrom?: 'set null' | 'restrict') {
  return ydtbTable(
    'demo_notes',
    {
      id: uuid('id').notNull(),
      workspaceId: text('workspace_id').notNull().references(() => workspaces.id, onDelete ? { onDelete } : {}),
      ...(movedFrom ? { movedFrom: text('moved_from').references(() => workspaces.id, { onDelete: movedFrom }) } : {}),
    },
    (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
  );
}

describe('WorkspaceCascadeRule', () => {
  describe('when every foreign key to ydtb_workspaces cascades', () => {
    it('should accept it', () => {
      expect(runRule(rule, registrationOf({ notes: notesWith('cascade') }))).toEqual([]);
    });
  });

  describe('when the workspace foreign key says nothing (NO ACTION) or RESTRICT', () => {
    it.each([[undefined, 'NO ACTION'], ['restrict', 'RESTRICT']] as const)('should warn that erasing a workspace fails (%s)', (onDelete, spelt) => {
      expect(runRule(rule, registrationOf({ notes: notesWith(onDelete) }))).toEqual([
        {
          rule: 'ydtb/workspace-cascade',
          severity: 'warning',
          packageName: '@test/demo',
          table: 'ydtb_demo_notes',
          column: 'workspace_id',
          message: `The foreign key ydtb_demo_notes_workspace_id_ydtb_workspaces_id_fk of "ydtb_demo_notes" to ydtb_workspaces says ON DELETE ${spelt}: deleting a workspace fails while this table holds one of its rows, so the workspace cannot be erased.`,
          hint: expect.stringContaining(".references(() => workspaces.id, { onDelete: 'cascade' })"),
        },
      ]);
    });
  });

  describe('when a nullable reference to another workspace says SET NULL', () => {
    it('should accept it: erasing that workspace clears the reference, the row is another workspace\'s', () => {
      expect(runRule(rule, registrationOf({ notes: notesWith('cascade', 'set null') }))).toEqual([]);
    });

    it('should still report one that restricts', () => {
      expect(runRule(rule, registrationOf({ notes: notesWith('cascade', 'restrict') })).map((v) => v.column)).toEqual(['moved_from']);
    });
  });

  describe('when the foreign key is declared with foreignKey()', () => {
    it('should read its action too', () => {
      const notes = ydtbTable(
        'demo_notes',
        { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() },
        (t) => [
          primaryKey({ columns: [t.workspaceId, t.id] }),
          foreignKey({ name: 'ydtb_demo_notes_workspace_fk', columns: [t.workspaceId], foreignColumns: [workspaces.id] }),
        ],
      );

      expect(runRule(rule, registrationOf({ notes })).map((v) => v.message)).toEqual([
        'The foreign key ydtb_demo_notes_workspace_fk of "ydtb_demo_notes" to ydtb_workspaces says ON DELETE NO ACTION: deleting a workspace fails while this table holds one of its rows, so the workspace cannot be erased.',
      ]);
    });
  });

  describe('when the registry config makes it binding', () => {
    it('should report an error', () => {
      const strict = new WorkspaceCascadeRule({ ...defaultRegistryConfig, workspaceCascade: 'error' });

      expect(runRule(strict, registrationOf({ notes: notesWith('restrict') })).map((v) => v.severity)).toEqual(['error']);
    });
  });
});
