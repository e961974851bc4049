import { index, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { WorkspaceIndexRule } from './workspace-index.ts';

const rule = new WorkspaceIndexRule(defaultRegistryConfig);
const workspaceId = () => text('workspace_id').notNull().references(() => workspaces.id);

describe('WorkspaceIndexRule', () => {
  describe('when an index or the primary key leads with workspace_id', () => {
    it.each([
      ['a composite primary key', ydtbTable('demo_a', { id: uuid('id').notNull(), workspaceId: workspaceId() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })])],
      ['an index', ydtbTable('demo_b', { id: uuid('id').primaryKey(), workspaceId: workspaceId() }, (t) => [index('ydtb_demo_b_ws_idx').on(t.workspaceId, t.id)])],
    ])('should accept %s', (_label, table) => {
      expect(runRule(rule, registrationOf({ table }))).toEqual([]);
    });
  });

  describe('when no index leads with workspace_id', () => {
    it('should warn, not fail', () => {
      const table = ydtbTable('demo_c', { id: uuid('id').primaryKey(), workspaceId: workspaceId() }, (t) => [index('ydtb_demo_c_idx').on(t.id, t.workspaceId)]);

      expect(runRule(rule, registrationOf({ table }))).toEqual([
        expect.objectContaining({ severity: 'warning', table: 'ydtb_demo_c', message: expect.stringContaining('no index whose first column is workspace_id') }),
      ]);
    });
  });
});
