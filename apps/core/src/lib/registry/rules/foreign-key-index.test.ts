import { foreignKey, index, primaryKey, text, unique, uuid, type AnyPgColumn, type PgTableExtraConfigValue } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { ForeignKeyIndexRule } from './foreign-key-index.ts';

const rule = new ForeignKeyIndexRule(defaultRegistryConfig);
const workspaceId = () => text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });

const parents = ydtbTable('demo_parents', { id: uuid('id').notNull(), workspaceId: workspaceId() }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
]);

/** A link table keyed (workspace_id, child_id, parent_id) with a foreign key (workspace_id, parent_id) to the parents. */
function links(name: string, extra: (t: { workspaceId: AnyPgColumn; childId: AnyPgColumn; parentId: AnyPgColumn }) => PgTableExtraConfigValue[] = () => []) {
  return ydtbTable(name, { workspaceId: workspaceId(), childId: uuid('child_id').notNull(), parentId: uuid('parent_id').notNull() }, (t) => [
    primaryKey({ columns: [t.workspaceId, t.childId, t.parentId] }),
    foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [parents.workspaceId, parents.id] }).onDelete('cascade'),
    ...extra(t),
  ]);
}

describe('ForeignKeyIndexRule', () => {
  describe('when an index leads with the foreign key columns', () => {
    it.each([
      ['an index in the same order', links('demo_a', (t) => [index('ydtb_demo_a_parent_idx').on(t.workspaceId, t.parentId)])],
      ['an index in another order', links('demo_b', (t) => [index('ydtb_demo_b_parent_idx').on(t.parentId, t.workspaceId)])],
      ['a longer index led by them', links('demo_c', (t) => [index('ydtb_demo_c_parent_idx').on(t.parentId, t.workspaceId, t.childId)])],
      ['a unique constraint led by them', links('demo_d', (t) => [unique('ydtb_demo_d_key').on(t.workspaceId, t.parentId, t.childId)])],
    ])('should accept %s', (_label, table) => {
      expect(runRule(rule, registrationOf({ parents, table }))).toEqual([]);
    });

    it('should accept a primary key led by them', () => {
      const table = ydtbTable('demo_e', { workspaceId: workspaceId(), parentId: uuid('parent_id').notNull() }, (t) => [
        primaryKey({ columns: [t.parentId, t.workspaceId] }),
        foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [parents.workspaceId, parents.id] }),
      ]);

      expect(runRule(rule, registrationOf({ parents, table }))).toEqual([]);
    });

    it('should accept a column-level unique key for a one-column foreign key', () => {
      const table = ydtbTable('demo_f', { id: uuid('id').primaryKey(), ownerId: uuid('owner_id').unique().references(() => parents.id) });

      expect(runRule(rule, registrationOf({ parents, table }))).toEqual([]);
    });
  });

  describe('when no index leads with the foreign key columns', () => {
    it('should warn, naming the table, the columns, the referenced table and the index to add', () => {
      const table = links('demo_g');

      expect(runRule(rule, registrationOf({ parents, table }))).toEqual([
        expect.objectContaining({
          rule: 'ydtb/foreign-key-index',
          severity: 'warning',
          table: 'ydtb_demo_g',
          column: 'workspace_id, parent_id',
          message:
            'The foreign key (workspace_id, parent_id) of "ydtb_demo_g" to "ydtb_demo_parents" has no index whose leading columns are (workspace_id, parent_id): each delete in "ydtb_demo_parents" scans "ydtb_demo_g". Add index(\'ydtb_demo_g_workspace_id_parent_id_idx\').on(t.workspaceId, t.parentId).',
        }),
      ]);
    });

    it.each([
      ['an index that has them but not first', links('demo_h', (t) => [index('ydtb_demo_h_idx').on(t.workspaceId, t.childId, t.parentId)])],
      ['an index on only one of them', links('demo_i', (t) => [index('ydtb_demo_i_idx').on(t.parentId)])],
    ])('should warn with %s', (_label, table) => {
      expect(runRule(rule, registrationOf({ parents, table }))).toEqual([expect.objectContaining({ severity: 'warning', column: 'workspace_id, parent_id' })]);
    });
  });

  describe('when the only uncovered key is the workspace column to the workspace table', () => {
    it('should leave it to ydtb/workspace-index', () => {
      const table = ydtbTable('demo_j', { id: uuid('id').primaryKey(), workspaceId: workspaceId() });

      expect(runRule(rule, registrationOf({ table }))).toEqual([]);
    });

    it('should still report it on a global table, which ydtb/workspace-index skips', () => {
      const table = ydtbTable('demo_k', { id: uuid('id').primaryKey(), workspaceId: workspaceId() });

      expect(runRule(rule, { ...registrationOf({ table }), globalTables: { ydtb_demo_k: 'shared lookups' } })).toEqual([
        expect.objectContaining({ table: 'ydtb_demo_k', column: 'workspace_id' }),
      ]);
    });
  });
});
