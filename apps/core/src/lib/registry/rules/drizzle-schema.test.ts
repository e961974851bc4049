import { relations } from 'drizzle-orm';
import { pgEnum, pgSequence, pgView } from 'drizzle-orm/pg-core';
import { DrizzleSchemaRule } from './drizzle-schema';
import { goodTable, registrationOf, sqliteItems } from '../test-tables';
import { runRule } from '../rule-harness';

describe('DrizzleSchemaRule', () => {
  const rule = new DrizzleSchemaRule();

  describe('when the schema holds only pg-core objects', () => {
    it('should accept tables, relations, enums, sequences and views', () => {
      const schema = {
        goodTable,
        goodRelations: relations(goodTable, () => ({})),
        status: pgEnum('ydtb_demo_state', ['a', 'b']),
        counter: pgSequence('ydtb_demo_counter'),
        recent: pgView('ydtb_demo_recent').as((qb) => qb.select().from(goodTable)),
      };

      expect(runRule(rule, registrationOf(schema))).toEqual([]);
    });
  });

  describe('when the schema holds other values', () => {
    it.each([
      ['a table look-alike', { name: 'ydtb_fake', columns: {} }, 'a plain object'],
      ['a sqlite table', sqliteItems, 'another dialect'],
      ['a string', 'ydtb_notes', 'a string ("ydtb_notes")'],
      ['null', null, 'null'],
      ['a number', 42, 'a number'],
      ['a function', () => undefined, 'a function'],
    ])('should report %s by export name', (_label, value, described) => {
      const [violation] = runRule(rule, registrationOf({ goodTable, notes: value }));

      expect(violation?.rule).toBe('ydtb/drizzle-schema');
      expect(violation?.message).toContain('Schema export "notes" is');
      expect(violation?.message).toContain(described);
    });
  });
});
