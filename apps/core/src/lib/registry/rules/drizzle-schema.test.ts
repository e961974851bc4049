import { relations, sql } from 'drizzle-orm';
import { pgEnum, pgPolicy, pgSchema, pgSequence, pgView, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { DrizzleSchemaRule } from './drizzle-schema.ts';
import { goodTable, registrationOf, sqliteItems } from '../test-tables.ts';
import { runRule } from '../rule-harness.ts';
import * as billingSchema from '../fixtures/billing-schema.ts';

enum Plan {
  Free = 'free',
  Pro = 'pro',
}

describe('DrizzleSchemaRule', () => {
  const rule = new DrizzleSchemaRule();

  describe('when the schema holds only pg-core objects', () => {
    it('should accept tables, relations, enums, sequences and views', () => {
      const schema = {
        goodTable,
        goodRelations: relations(goodTable, () => ({})),
        status: pgEnum('ydtb_demo_state', ['a', 'b']),
        counter: pgSequence('ydtb_demo_counter'),
        recent: pgView('ydtb_demo_recent').with({ securityInvoker: true }).as((qb) => qb.select().from(goodTable)),
      };

      expect(runRule(rule, registrationOf(schema))).toEqual([]);
    });
  });

  describe('when the schema holds plain values beside its tables', () => {
    it.each([
      ['a function', () => 'label'],
      ['a TypeScript enum', Plan],
      ['a constant', 50],
      ['a string', 'ydtb_notes'],
      ['null', null],
      ['a helper object', { pageSize: 50, labels: ['a', 'b'] }],
      ['an SQL fragment', sql`now()`],
    ])('should ignore %s', (_label, value) => {
      expect(runRule(rule, registrationOf({ goodTable, helper: value }))).toEqual([]);
    });

    it('should accept a real schema file with constants, a TypeScript enum and a function', () => {
      expect(runRule(rule, registrationOf(billingSchema))).toEqual([]);
    });
  });

  describe('when a value looks like a table but is not a pg-core one', () => {
    it.each([
      ['a sqlite table', sqliteItems, 'a Drizzle table of another dialect'],
      ['a column builder', text('title'), 'a Drizzle column, not a table'],
      ['a column', goodTable.id, 'a Drizzle column, not a table'],
      ['an object holding columns', { id: text('id'), title: text('title') }, 'an object holding Drizzle columns'],
      ['an object holding tables', { goodTable }, 'an object holding a Drizzle table'],
      ['a policy', pgPolicy('everyone', { using: sql`true` }), 'a row-level security policy'],
      ['a PostgreSQL schema', pgSchema('crm'), 'a PostgreSQL schema (pgSchema)'],
    ])('should report %s by export name', (_label, value, described) => {
      const [violation] = runRule(rule, registrationOf({ goodTable, notes: value }));

      expect(violation?.rule).toBe('ydtb/drizzle-schema');
      expect(violation?.severity).toBe('error');
      expect(violation?.message).toContain('Schema export "notes" is');
      expect(violation?.message).toContain(described);
    });
  });

  describe('when a table declares a policy of its own', () => {
    it('should reject it: a second permissive policy widens what a workspace sees', () => {
      const shared = ydtbTable(
        'demo_shared',
        { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull().references(() => workspaces.id) },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), pgPolicy('everyone_reads', { for: 'select', using: sql`true` })],
      );

      expect(runRule(rule, registrationOf({ shared })).map((v) => v.message)).toEqual([
        'Table "ydtb_demo_shared" declares the row-level security policy "everyone_reads"; the registry installs the only policy a package table may have, and another permissive one would widen what a workspace sees.',
      ]);
    });
  });

  describe('when a table lives in another PostgreSQL schema', () => {
    it('should reject it: the registry secures package tables in public', () => {
      const contacts = pgSchema('crm').table('ydtb_crm_contacts', { id: uuid('id').notNull(), workspaceId: text('workspace_id').notNull() });

      expect(runRule(rule, registrationOf({ contacts })).map((v) => v.message)).toEqual([
        'Table "ydtb_crm_contacts" is in the PostgreSQL schema "crm"; package tables live in the public schema, where the registry names, secures and verifies them.',
      ]);
    });
  });
});
