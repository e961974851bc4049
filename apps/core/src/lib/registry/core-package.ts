import type { ServiceIdentifier } from 'inversify';
import { loadMigrations } from '@ydtb/plugin-api';
import * as schema from '../../server/db/schema.ts';
import type { PackageSchemaRegistration } from '../../types/database-registry.ts';

export const CORE_PACKAGE_NAME = '@ydtb/core';

/** Service identifier of core's own registration; trusted, so package rules do not run on it. */
export const CORE_SCHEMA: ServiceIdentifier<PackageSchemaRegistration> = Symbol.for('ydtb.CoreSchema');

export const coreRegistration: PackageSchemaRegistration = {
  packageName: CORE_PACKAGE_NAME,
  version: '0.1.0',
  schema,
  // apps/core/migrations/, generated from the schema above with `ydtb db generate @ydtb/core`.
  migrations: loadMigrations(new URL('../../../migrations/', import.meta.url)),
};
