import { bigint, index, pgEnum, pgSequence, pgTable, pgView, primaryKey, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbEnum, ydtbTable } from '@ydtb/plugin-api';
import { orderStatus, ticketStatus } from '../fixtures/rejected-schemas.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { registeredWithCore } from '../fixtures/registered-packages.ts';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { itemsTable, registrationOf } from '../test-tables.ts';
import { inspectSchema } from '../schema-inspector.ts';
import { IdentifierRule } from './identifiers.ts';
import type { RegisteredPackage } from '../../../types/database-registry.ts';

const rule = new IdentifierRule(defaultRegistryConfig);

function tableNamed(name: string, column = 'label') {
  return pgTable(name, {
    id: uuid('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    [column]: text(column),
  });
}

function registered(packageName: string, schema: Record<string, unknown>): RegisteredPackage {
  return { registration: registrationOf(schema, { packageName }), ...inspectSchema(schema), warnings: [] };
}

describe('IdentifierRule', () => {
  describe('when every name is short lower-case snake case', () => {
    it('should report nothing', () => {
      expect(runRule(rule, registrationOf({ items: itemsTable('demo') }))).toEqual([]);
    });
  });

  describe('when a name is too long', () => {
    it('should report a 64-byte table name with its byte count', () => {
      const name = `ydtb_${'x'.repeat(59)}`;

      const [violation] = runRule(rule, registrationOf({ t: tableNamed(name) }));

      expect(violation?.message).toContain('is 64 bytes; PostgreSQL silently truncates names to 63');
    });

    it('should leave names PostgreSQL chooses itself (a column primary key, a serial sequence) alone', () => {
      const countries = ydtbTable('geo_countries_with_names_long_enough_for_a_long_pkey_xy', { code: text('code').primaryKey(), rank: serial('rank') });

      expect(runRule(rule, registrationOf({ countries }))).toEqual([]);
    });

    it('should count bytes, not characters', () => {
      const violations = runRule(rule, registrationOf({ t: tableNamed('ydtb_notes', 'é'.repeat(32)) }));

      expect(violations.map((v) => v.message)).toEqual([expect.stringContaining('is 64 bytes')]);
    });

    it('should report a generated foreign key name that PostgreSQL would truncate', () => {
      const table = tableNamed(`ydtb_${'long_'.repeat(9)}x`);

      expect(runRule(rule, registrationOf({ table })).map((v) => v.message)).toEqual([
        expect.stringMatching(/^The constraint name "ydtb_long_.*" is \d+ bytes/),
      ]);
    });
  });

  describe('when a name has hostile characters', () => {
    it.each(['ydtb_notes"; DROP TABLE ydtb_workspaces; --', "ydtb_o'brien", 'ydtb_Notes', 'ydtb notes', '1ydtb'])(
      'should reject %j',
      (name) => {
        const violations = runRule(rule, registrationOf({ t: tableNamed(name) }));

        expect(violations.map((v) => v.rule)).toContain('ydtb/identifiers');
      },
    );

    it('should reject a hostile column name with the column named', () => {
      const [violation] = runRule(rule, registrationOf({ t: tableNamed('ydtb_notes', 'x;y') }));

      expect(violation).toMatchObject({ table: 'ydtb_notes', column: 'x;y' });
    });
  });

  describe('when names collide', () => {
    it('should report a table name another package registered', () => {
      const other = registered('@test/other', { items: itemsTable('shared') });

      const violations = runRule(rule, registrationOf({ items: itemsTable('shared') }), new Map([['@test/other', other]]));

      // Every name that collides, in one run, each naming the other package's table.
      expect(violations.map((v) => v.message)).toEqual([
        'The table name "ydtb_shared_items" is already used by package @test/other (table "ydtb_shared_items").',
        'The index or key name "ydtb_shared_items_workspace_id_id_pk" of table "ydtb_shared_items" is already used by package @test/other (index or key of table "ydtb_shared_items").',
      ]);
    });

    it('should report a table, or an index, named like a table ydtb keeps for itself', () => {
      const history = pgTable('ydtb_migration_history', { id: uuid('id').primaryKey(), workspaceId: text('workspace_id').notNull() }, (t) => [
        index('ydtb_schema_epoch_pkey').on(t.workspaceId),
      ]);

      const violations = runRule(rule, registrationOf({ history }));

      expect(violations.map((v) => v.message)).toEqual([
        'The table name "ydtb_migration_history" is already used by ydtb itself (its migration history, audit and schema epoch tables and their keys).',
        'The index or key name "ydtb_migration_history_pkey" of table "ydtb_migration_history" is already used by ydtb itself (its migration history, audit and schema epoch tables and their keys).',
        'The index or key name "ydtb_schema_epoch_pkey" of table "ydtb_migration_history" is already used by ydtb itself (its migration history, audit and schema epoch tables and their keys).',
      ]);
    });

    it('should report an index named like another package\'s table', () => {
      const other = registered('@test/other', { items: itemsTable('other') });
      const table = pgTable('ydtb_mine', { id: uuid('id').primaryKey(), workspaceId: text('workspace_id').notNull() }, (t) => [
        index('ydtb_other_items').on(t.workspaceId),
      ]);

      const violations = runRule(rule, registrationOf({ table }), new Map([['@test/other', other]]));

      expect(violations.map((v) => v.message)).toEqual(['The index or key name "ydtb_other_items" of table "ydtb_mine" is already used by package @test/other (table "ydtb_other_items").']);
    });

    it('should report an enum type another package declared under the same name', () => {
      const tickets = registered('@test/tickets', { ticketStatus });

      const violations = runRule(rule, registrationOf({ orderStatus }, { packageName: '@test/orders' }), new Map([['@test/tickets', tickets]]));

      expect(violations.map((v) => v.message)).toEqual(['The enum type name "status" is already used by package @test/tickets.']);
    });

    it('should accept the same short name in two packages through ydtbEnum', () => {
      const tickets = registered('@test/tickets', { status: ydtbEnum('tickets_status', ['open', 'closed']) });

      expect(runRule(rule, registrationOf({ status: ydtbEnum('orders_status', ['new', 'shipped']) }), new Map([['@test/tickets', tickets]]))).toEqual([]);
    });

    it('should report an enum type named like another package\'s table: tables have row types of their name', () => {
      const other = registered('@test/other', { items: itemsTable('shared') });

      const violations = runRule(rule, registrationOf({ kind: pgEnum('ydtb_shared_items', ['a']) }), new Map([['@test/other', other]]));

      expect(violations.map((v) => v.message)).toEqual(['The enum type name "ydtb_shared_items" is already used by package @test/other (table "ydtb_shared_items").']);
    });

    it('should report a view or a sequence named like another package\'s index', () => {
      const other = registered('@test/other', { items: itemsTable('other') });
      const name = 'ydtb_other_items_workspace_id_id_pk';
      const schema = { seq: pgSequence(name), view: pgView('ydtb_other_items').with({ securityInvoker: true }).as((qb) => qb.select().from(workspaces)) };

      const violations = runRule(rule, registrationOf(schema), new Map([['@test/other', other]]));

      expect(violations.map((v) => v.message)).toEqual([
        'The view name "ydtb_other_items" is already used by package @test/other (table "ydtb_other_items").',
        `The sequence name "${name}" is already used by package @test/other (index or key of table "ydtb_other_items").`,
      ]);
    });

    it('should report an enum type named like a table of the same package', () => {
      const items = itemsTable('demo');

      const violations = runRule(rule, registrationOf({ items, kind: pgEnum('ydtb_demo_items', ['a']) }));

      expect(violations.map((v) => v.message)).toEqual(['The enum type name "ydtb_demo_items" is already used by table "ydtb_demo_items" of this package.']);
    });

    it('should report an over-long unique index name once, though it names an index and a constraint', () => {
      const long = `ydtb_demo_${'very_long_'.repeat(6)}idx`;
      const table = ydtbTable('demo_long', { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() }, (t) => [
        primaryKey({ columns: [t.workspaceId, t.id] }),
        uniqueIndex(long).on(t.workspaceId, t.id),
      ]);

      expect(runRule(rule, registrationOf({ table })).map((v) => v.message)).toEqual([
        `The index name "${long}" is ${long.length} bytes; PostgreSQL silently truncates names to 63.`,
      ]);
    });

    it('should report every reuse of one index name in one run, naming both tables', () => {
      const tables = Object.fromEntries(
        ['a', 'b', 'c'].map((n) => [
          n,
          ydtbTable(`demo_${n}`, { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() }, (t) => [
            primaryKey({ columns: [t.workspaceId, t.id] }),
            index('ydtb_demo_workspace_idx').on(t.workspaceId),
          ]),
        ]),
      );

      expect(runRule(rule, registrationOf(tables)).map((v) => [v.table, v.message])).toEqual([
        ['ydtb_demo_b', 'The index or key name "ydtb_demo_workspace_idx" of table "ydtb_demo_b" is already used by the index or key of table "ydtb_demo_a" of this package.'],
        ['ydtb_demo_c', 'The index or key name "ydtb_demo_workspace_idx" of table "ydtb_demo_c" is already used by the index or key of table "ydtb_demo_a" of this package.'],
      ]);
    });

    it('should report an identity column whose sequence another package already declared', () => {
      const other = registered('@test/other', { counter: pgSequence('ydtb_counters_id_seq') });
      const counters = ydtbTable(
        'counters',
        { id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(), workspaceId: text('workspace_id').notNull() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );

      const violations = runRule(rule, registrationOf({ counters }, { packageName: '@test/counters' }), new Map([['@test/other', other]]));

      expect(violations).toEqual([
        expect.objectContaining({ table: 'ydtb_counters', message: 'The sequence name "ydtb_counters_id_seq" of table "ydtb_counters" is already used by package @test/other.' }),
      ]);
    });
  });

  describe('when enum types, sequences and views are named', () => {
    it('should check their length and characters too', () => {
      const schema = { kind: pgEnum(`ydtb_${'k'.repeat(60)}`, ['a']), seq: pgSequence('ydtb_Counter') };

      expect(runRule(rule, registrationOf(schema)).map((v) => v.message)).toEqual([
        expect.stringMatching(/^The enum type name "ydtb_k+" is 65 bytes/),
        'The sequence name "ydtb_Counter" is not lower-case [a-z0-9_] starting with a letter or "_".',
      ]);
    });
  });

  describe('when a table name has 30 characters or more', () => {
    const columns = () => ({
      id: uuid('id').notNull(),
      workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    });

    it('should accept it from ydtbTable, which shortens the names drizzle generates', () => {
      const table = ydtbTable('billing_subscription_line_item_credits', columns(), (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

      expect(runRule(rule, registrationOf({ table }))).toEqual([]);
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });

    it('should show the exact named form of a generated name that is too long', () => {
      const creditNotes = pgTable('ydtb_billing_subscription_line_item_credit_notes', columns(), (t) => [
        primaryKey({ columns: [t.workspaceId, t.id] }),
      ]);

      const violations = runRule(rule, registrationOf({ creditNotes }), registeredWithCore());

      expect(violations.map((v) => [v.message, v.hint])).toEqual([
        [
          'The constraint name "ydtb_billing_subscription_line_item_credit_notes_workspace_id_id_pk" is 67 bytes; PostgreSQL silently truncates names to 63.',
          expect.stringMatching(/: primaryKey\(\{ name: 'ydtb_billing_subscription_line_item_credit_notes_wo_[0-9a-f]{8}_pk', columns: \[t\.workspaceId, t\.id\] \}\)\.$/),
        ],
        [
          'The constraint name "ydtb_billing_subscription_line_item_credit_notes_workspace_id_ydtb_workspaces_id" is 83 bytes; PostgreSQL silently truncates names to 63.',
          expect.stringMatching(
            /^The name is generated by drizzle .* ydtbTable\(…\) .*: foreignKey\(\{ name: 'ydtb_billing_subscription_line_item_credit_notes_wo_[0-9a-f]{8}_fk', columns: \[t\.workspaceId\], foreignColumns: \[workspaces\.id\] \}\)\.onDelete\('cascade'\) in the table's third argument, in place of \.references\(\) on t\.workspaceId\.$/,
          ),
        ],
      ]);
    });
  });
});
