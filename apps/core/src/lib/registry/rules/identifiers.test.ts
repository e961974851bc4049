import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config';
import { runRule } from '../rule-harness';
import { itemsTable, registrationOf } from '../test-tables';
import { inspectSchema } from '../schema-inspector';
import { IdentifierRule } from './identifiers';
import type { RegisteredPackage } from '../../../types/database-registry';

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

      expect(violations.map((v) => v.message)).toContain('The name "ydtb_shared_items" is already used by package @test/other.');
    });

    it('should report an index named like another package\'s table', () => {
      const other = registered('@test/other', { items: itemsTable('other') });
      const table = pgTable('ydtb_mine', { id: uuid('id').primaryKey(), workspaceId: text('workspace_id').notNull() }, (t) => [
        index('ydtb_other_items').on(t.workspaceId),
      ]);

      const violations = runRule(rule, registrationOf({ table }), new Map([['@test/other', other]]));

      expect(violations.map((v) => v.message)).toEqual(['The name "ydtb_other_items" is already used by package @test/other.']);
    });
  });
});
