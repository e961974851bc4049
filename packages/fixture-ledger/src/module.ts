import { definePackage, loadMigrations } from '@ydtb/plugin-api';
import * as schema from './schema';

export const PACKAGE_NAME = '@ydtb/fixture-ledger';

export const ledgerModule = definePackage({
  database: {
    packageName: PACKAGE_NAME,
    version: '0.1.0',
    schema,
    migrations: loadMigrations(new URL('../migrations/', import.meta.url)),
  },
});
