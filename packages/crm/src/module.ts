import { definePackage, loadMigrations } from '@ydtb/plugin-api';
import { PACKAGE_NAME as BASIC } from '@ydtb/basic';
import { z } from 'zod';
import * as schema from './schema';

export const PACKAGE_NAME = '@ydtb/crm';

/** What @ydtb/crm contributes: contacts linked to @ydtb/basic's notes, hence the dependency. */
export const crmModule = definePackage({
  database: {
    packageName: PACKAGE_NAME,
    version: '0.3.0',
    schema,
    dependencies: [BASIC],
    migrations: loadMigrations(new URL('../migrations/', import.meta.url)),
  },
  environment: {
    packageName: PACKAGE_NAME,
    server: {
      CRM_IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(10_000),
    },
  },
});
