import { definePackage, loadMigrations } from '@ydtb/plugin-api';
import * as schema from './schema';

export const PACKAGE_NAME = '@ydtb/fixture-invoicing';

export const invoicingModule = definePackage({
  database: {
    packageName: PACKAGE_NAME,
    version: '0.1.0',
    schema,
    migrations: loadMigrations(new URL('../migrations/', import.meta.url)),
    globalTables: { ydtb_invoicing_currencies: 'ISO 4217 currency codes, the same for every workspace; shipped by migrations' },
  },
});
