import { basicModule } from '@ydtb/basic';
import { definePackage } from '@ydtb/plugin-api';
import { createContainer } from './container.ts';
import { DatabaseRegistry } from './database.ts';
import { billingRegistration } from './fixtures/billing-module.ts';
import { globalTablesOf } from './global-tables.ts';

describe('globalTablesOf', () => {
  describe('when some registered packages declare global tables', () => {
    it('should list each table with its package and reason, and nothing for the others', () => {
      const registry = createContainer([basicModule, definePackage({ database: billingRegistration })]).get(DatabaseRegistry);

      expect(globalTablesOf(registry.all())).toEqual([
        { packageName: '@fixtures/billing', table: 'ydtb_billing_currencies', reason: 'ISO 4217 currencies: the same list for every workspace' },
      ]);
    });
  });
});
