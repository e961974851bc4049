import { char, foreignKey, text } from 'drizzle-orm/pg-core';
import { ydtbTable } from '@ydtb/plugin-api';
import { basicModule, basicSchema } from '@ydtb/basic';
import { PACKAGE_SCHEMA } from '@ydtb/plugin-api';
import { createContainer } from '../container.ts';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { currencies, invoices } from '../fixtures/billing-schema.ts';
import { registeredWithCore } from '../fixtures/registered-packages.ts';
import { exchangeRates, sharedTemplates } from '../fixtures/rejected-schemas.ts';
import { GlobalTablesRule } from './global-tables.ts';

const rule = new GlobalTablesRule(defaultRegistryConfig);

describe('GlobalTablesRule', () => {
  describe('when a declared global table is a lookup list', () => {
    it('should accept it', () => {
      expect(runRule(rule, billingRegistration, registeredWithCore())).toEqual([]);
    });

    it('should accept a reference from it to another package\'s global table', () => {
      const countries = ydtbTable('geo_countries', { code: char('code', { length: 2 }).primaryKey(), currency: char('currency', { length: 3 }).references(() => currencies.code) });
      const registration = registrationOf({ countries }, { packageName: '@test/geo', dependencies: ['@fixtures/billing'], globalTables: { ydtb_geo_countries: 'ISO 3166' } });

      expect(runRule(rule, registration, registeredWithCore(billingRegistration))).toEqual([]);
    });
  });

  describe('when a declared global table is not in the schema', () => {
    it('should name it and say how to name it', () => {
      const registration = registrationOf({ invoices, currencies }, { globalTables: { billing_currencies: 'short name by mistake' } });

      expect(runRule(rule, registration)).toEqual([
        expect.objectContaining({
          rule: 'ydtb/global-tables',
          table: 'billing_currencies',
          message: 'Table "billing_currencies" is declared in globalTables but the schema has no table of that name.',
          hint: expect.stringContaining('"ydtb_<package>_<name>"'),
        }),
      ]);
    });
  });

  describe('when a global table would hold workspace data', () => {
    it('should reject a workspace column', () => {
      const registration = registrationOf({ sharedTemplates }, { globalTables: { ydtb_mail_templates: 'templates for everyone' } });

      expect(runRule(rule, registration).map((v) => v.message)).toEqual([
        'Global table "ydtb_mail_templates" has a workspace column (workspace_id): it would hold workspace data without a policy, readable by every workspace.',
      ]);
    });

    it('should reject a foreign key to a workspace table, its own package\'s or another\'s', () => {
      const own = registrationOf({ invoices, exchangeRates }, { globalTables: { ydtb_fx_rates: 'rates' } });
      const notesLink = ydtbTable('fx_note_links', { noteId: text('note_id').notNull(), workspaceRef: text('workspace_ref').notNull() }, (t) => [
        foreignKey({ name: 'ydtb_fx_note_links_note_fk', columns: [t.workspaceRef, t.noteId], foreignColumns: [basicSchema.notes.workspaceId, basicSchema.notes.id] }),
      ]);
      const other = registrationOf({ notesLink }, { dependencies: ['@ydtb/basic'], globalTables: { ydtb_fx_note_links: 'links' } });

      expect(runRule(rule, own).map((v) => v.message)).toEqual([
        'Global table "ydtb_fx_rates" references "ydtb_billing_invoices", a workspace table: every workspace could read the links into one workspace\'s rows.',
      ]);
      expect(runRule(rule, other, registeredWithCore(createContainer([basicModule]).get(PACKAGE_SCHEMA))).map((v) => v.message)).toEqual([
        'Global table "ydtb_fx_note_links" references "ydtb_basic_notes", a workspace table: every workspace could read the links into one workspace\'s rows.',
      ]);
    });
  });
});
