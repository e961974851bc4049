import { definePackage, loadMigrations } from '@ydtb/plugin-api';
import { z } from 'zod';
import * as schema from './schema';

export const PACKAGE_NAME = '@ydtb/basic';

/** What @ydtb/basic contributes to the host: its environment variables and its database schema. */
export const basicModule = definePackage({
  database: {
    packageName: PACKAGE_NAME,
    version: '1.0.0',
    schema,
    // packages/basic/migrations/, generated from ./schema with `ydtb db generate @ydtb/basic`.
    migrations: loadMigrations(new URL('../migrations/', import.meta.url)),
  },
  environment: {
    packageName: PACKAGE_NAME,
    server: {
      BASIC_NOTES_PAGE_SIZE: z.coerce.number().int().positive().default(50),
    },
    client: {
      YDTB_PUBLIC_BASIC_NOTES_ENABLED: z.enum(['true', 'false']).default('true'),
    },
  },
});
