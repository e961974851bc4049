import { bigint, foreignKey, getTableConfig, index, primaryKey, text, unique, uuid, type PgTable } from 'drizzle-orm/pg-core';
import { MAX_IDENTIFIER_BYTES } from './fit-identifier.ts';
import { ydtbEnum } from './ydtb-enum.ts';
import { ydtbTable } from './ydtb-table.ts';
import { workspaces } from './workspaces.ts';

const columns = () => ({
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
  workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
  code: text('code').unique(),
  parentId: bigint('parent_id', { mode: 'number' }),
});

/** Every name the table's DDL will carry, as drizzle and drizzle-kit derive them. */
function names(table: PgTable) {
  const config = getTableConfig(table);
  return {
    foreignKeys: config.foreignKeys.map((fk) => fk.getName()),
    primaryKeys: config.primaryKeys.map((pk) => pk.getName()),
    uniques: [...config.uniqueConstraints.map((u) => u.getName()), ...config.columns.filter((c) => c.isUnique).map((c) => c.uniqueName)],
    indexes: config.indexes.map((i) => i.config.name),
    sequences: config.columns.filter((c) => c.generatedIdentity).map((c) => c.generatedIdentity?.sequenceName),
  };
}

const extra = (t: { workspaceId: never; id: never; code: never; parentId: never }) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  unique().on(t.workspaceId, t.code),
  index().on(t.workspaceId, t.code),
  foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }),
];

describe('ydtbTable', () => {
  describe('when the generated names fit', () => {
    it('should name the table ydtb_<name> and leave drizzle\'s names exactly as they are', () => {
      const table = ydtbTable('notes', columns(), extra as never);

      expect(names(table)).toEqual({
        foreignKeys: ['ydtb_notes_workspace_id_ydtb_workspaces_id_fk', 'ydtb_notes_workspace_id_parent_id_ydtb_notes_workspace_id_id_fk'],
        primaryKeys: ['ydtb_notes_workspace_id_id_pk'],
        uniques: ['ydtb_notes_workspace_id_code_unique', 'ydtb_notes_code_unique'],
        indexes: [undefined],
        sequences: [undefined],
      });
    });
  });

  describe('when a table name of 30+ characters makes them too long', () => {
    const table = ydtbTable('billing_subscription_line_item_adjustment_history_log', columns(), extra as never);

    it('should give every generated name a short deterministic form', () => {
      const all = Object.values(names(table)).flat();

      expect(all).toHaveLength(7);
      for (const name of all) expect(Buffer.byteLength(name!, 'utf8')).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
      expect(names(table).foreignKeys[0]).toMatch(/^ydtb_billing_subscription_line_item_adjustment_hist_[0-9a-f]{8}_fk$/);
      expect(names(table).sequences[0]).toMatch(/_[0-9a-f]{8}_seq$/);
      expect(names(table).indexes[0]).toMatch(/_[0-9a-f]{8}_index$/);
    });

    it('should give the same names every time the table is defined', () => {
      const again = ydtbTable('billing_subscription_line_item_adjustment_history_log', columns(), extra as never);

      expect(names(again)).toEqual(names(table));
    });

    it('should keep a name the author gave, however long', () => {
      const named = ydtbTable('billing_subscription_line_item_adjustment_history_log', { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() }, (t) => [
        primaryKey({ name: 'ydtb_billing_adjustments_pk', columns: [t.workspaceId, t.id] }),
      ]);

      expect(names(named).primaryKeys).toEqual(['ydtb_billing_adjustments_pk']);
    });
  });
});

describe('ydtbEnum', () => {
  enum Plan {
    Free = 'free',
    Pro = 'pro',
  }

  describe('when given a list of values or a TypeScript enum', () => {
    it('should create the enum type ydtb_<name> with those values', () => {
      const status = ydtbEnum('billing_status', ['open', 'paid']);
      const plan = ydtbEnum('billing_plan', Plan);

      expect([status.enumName, status.enumValues]).toEqual(['ydtb_billing_status', ['open', 'paid']]);
      expect([plan.enumName, plan.enumValues]).toEqual(['ydtb_billing_plan', ['free', 'pro']]);
    });
  });
});
