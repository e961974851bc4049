import { defaultRegistryConfig } from '../registry-config';
import { goodTable, registrationOf, unprefixedTable } from '../test-tables';
import { runRule } from '../rule-harness';
import { PrefixRule } from './table-prefix';

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

  describe('when configured with another prefix', () => {
    it('should check that prefix instead', () => {
      const acme = new PrefixRule({ ...defaultRegistryConfig, tablePrefix: 'acme_' });

      expect(runRule(acme, registrationOf({ goodTable })).map((v) => v.message)).toEqual([
        'Table "ydtb_demo_items" does not start with "acme_".',
      ]);
    });
  });
});
