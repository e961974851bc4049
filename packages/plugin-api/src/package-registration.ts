import type { MigrationDefinition } from './migration';

/**
 * What a package hands the registry. `schema` is the module namespace of the package's
 * Drizzle schema (`import * as schema from './schema'`): tables are validated, relations
 * and enums may sit beside them.
 */
export interface PackageSchemaRegistration {
  readonly packageName: string;
  readonly version: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly migrations?: readonly MigrationDefinition[];
  /** Names of the packages whose tables this package's tables reference. Core is implied. */
  readonly dependencies?: readonly string[];
}
