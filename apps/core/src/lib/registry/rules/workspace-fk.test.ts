import { defaultRegistryConfig } from '../registry-config.ts';
import {
  goodTable,
  noForeignKeyTable,
  noWorkspaceTable,
  nullableWorkspaceTable,
  registrationOf,
  wrongColumnTable,
  wrongTargetTable,
} from '../test-tables.ts';
import { runRule } from '../rule-harness.ts';
import { WorkspaceFkRule } from './workspace-fk.ts';
import { basicSchema } from '@ydtb/basic';
import { foreignKey, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { payments } from '../fixtures/billing-schema.ts';

describe('WorkspaceFkRule', () => {
  const rule = new WorkspaceFkRule(defaultRegistryConfig);
  const messagesFor = (schema: Record<string, unknown>) => runRule(rule, registrationOf(schema)).map((v) => v.message);

  describe('when every table references ydtb_workspaces.id', () => {
    it('should accept an inline reference', () => {
      expect(runRule(rule, registrationOf({ goodTable }))).toEqual([]);
    });

    it('should accept @ydtb/basic, whose tables also carry composite keys', () => {
      expect(runRule(rule, registrationOf(basicSchema))).toEqual([]);
    });

    it('should accept a named foreignKey() in the table\'s third argument', () => {
      expect(runRule(rule, registrationOf({ payments }))).toEqual([]);
    });

    it('should accept a named foreignKey() on a table whose other keys include workspace_id', () => {
      const links = ydtbTable(
        'demo_links',
        { workspaceId: text('workspace_id').notNull(), fromId: uuid('from_id').notNull(), toId: uuid('to_id').notNull() },
        (t) => [
          primaryKey({ columns: [t.workspaceId, t.fromId, t.toId] }),
          foreignKey({ name: 'ydtb_demo_links_from_fk', columns: [t.workspaceId, t.fromId], foreignColumns: [basicSchema.notes.workspaceId, basicSchema.notes.id] }),
          foreignKey({ name: 'ydtb_demo_links_workspace_fk', columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
        ],
      );

      expect(runRule(rule, registrationOf({ links }))).toEqual([]);
    });

    it('should not ask a declared global table for a workspace column', () => {
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });
  });

  describe('when a table breaks the rule', () => {
    it('should report a missing workspaceId column with the table and the column', () => {
      expect(runRule(rule, registrationOf({ noWorkspaceTable }))).toEqual([
        expect.objectContaining({
          rule: 'ydtb/workspace-fk',
          table: 'ydtb_demo_loose',
          column: 'workspaceId',
          message: 'Table "ydtb_demo_loose" has no "workspaceId" column.',
          hint: expect.stringMatching(/\.references\(\(\) => workspaces\.id.*declare it in globalTables/),
        }),
      ]);
    });

    it('should report a workspaceId without a foreign key', () => {
      expect(messagesFor({ noForeignKeyTable })).toEqual([
        'Column "ydtb_demo_unlinked.workspace_id" has no foreign key to ydtb_workspaces.id.',
      ]);
    });

    it('should report a foreign key to another table', () => {
      expect(messagesFor({ wrongTargetTable })).toEqual([
        'Column "ydtb_demo_misdirected.workspace_id" references ydtb_demo_accounts.id instead of ydtb_workspaces.id.',
      ]);
    });

    it('should report a foreign key to another column of ydtb_workspaces', () => {
      expect(messagesFor({ wrongColumnTable })).toEqual([
        'Column "ydtb_demo_by_slug.workspace_id" references ydtb_workspaces.slug instead of ydtb_workspaces.id.',
      ]);
    });

    it('should report a nullable workspace column', () => {
      expect(messagesFor({ nullableWorkspaceTable })).toEqual([
        'Column "ydtb_demo_nullable.workspace_id" is nullable; a row without a workspace belongs to nobody.',
      ]);
    });

    it('should report every bad table, not only the first', () => {
      expect(messagesFor({ noWorkspaceTable, noForeignKeyTable, goodTable })).toHaveLength(2);
    });
  });
});
