import { pgMaterializedView, pgSequence, pgView } from 'drizzle-orm/pg-core';
import { ydtbEnum } from '@ydtb/plugin-api';
import { defaultRegistryConfig } from '../registry-config.ts';
import { ticketStatus } from '../fixtures/rejected-schemas.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { goodTable, registrationOf, unprefixedTable } from '../test-tables.ts';
import { runRule } from '../rule-harness.ts';
import { PrefixRule } from './table-prefix.ts';

describe('PrefixRule', () => {
  const rule = new PrefixRule(defaultRegistryConfig);

  describe('when every table starts with ydtb_', () => {
    it('should report nothing', () => {
      expect(runRule(rule, registrationOf({ goodTable }))).toEqual([]);
    });
  });

  describe('when a table lacks the prefix', () => {
    it('should name the package, the table and the fix', () => {
      expect(runRule(rule, registrationOf({ goodTable, unprefixedTable }))).toEqual([
        {
          rule: 'ydtb/table-prefix',
          severity: 'error',
          packageName: '@test/demo',
          table: 'demo_items',
          message: 'Table "demo_items" does not start with "ydtb_".',
          hint: expect.stringContaining('ydtbTable('),
        },
      ]);
    });
  });

  describe('when enum types, sequences and views are declared', () => {
    it('should accept them with the prefix (ydtbEnum adds it)', () => {
      expect(runRule(rule, registrationOf({ goodTable, status: ydtbEnum('demo_status', ['a']) }))).toEqual([]);
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });

    it('should report each one without it, with the fix for its kind', () => {
      const schema = {
        ticketStatus,
        counter: pgSequence('demo_counter'),
        recent: pgView('demo_recent').with({ securityInvoker: true }).as((qb) => qb.select().from(goodTable)),
        totals: pgMaterializedView('demo_totals').as((qb) => qb.select().from(goodTable)),
      };

      const violations = runRule(rule, registrationOf(schema));

      expect(violations.map((v) => v.message)).toEqual([
        'View "demo_recent" does not start with "ydtb_".',
        'Materialized view "demo_totals" does not start with "ydtb_".',
        'Enum type "status" does not start with "ydtb_".',
        'Sequence "demo_counter" does not start with "ydtb_".',
      ]);
      expect(violations[2]?.hint).toContain("ydtbEnum('<package>_<name>'");
    });
  });

  describe('when configured with another prefix', () => {
    it('should check that prefix instead', () => {
      const acme = new PrefixRule({ ...defaultRegistryConfig, tablePrefix: 'acme_' });

      expect(runRule(acme, registrationOf({ goodTable })).map((v) => v.message)).toEqual([
        'Table "ydtb_demo_items" does not start with "acme_".',
      ]);
    });
  });
});
