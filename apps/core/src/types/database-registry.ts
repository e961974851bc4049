/*
 * Types of the database registry. The registration, migration, rule and violation types are
 * the plugin contract's (packages import them from `@ydtb/plugin-api`); they are re-exported
 * here so host code has one place to import from.
 */
export type {
  InspectedObject,
  InspectedTable,
  InspectedView,
  MigrationDefinition,
  NameOwners,
  PackageSchemaRegistration,
  RegisteredPackage,
  RuleContext,
  SchemaRule,
  Severity,
  SqlMigration,
  StrayExport,
  UpDownMigration,
  Violation,
} from '@ydtb/plugin-api';

import type { Severity } from '@ydtb/plugin-api';

/** How the registry recognises a well-formed package table. */
export interface DatabaseRegistryConfig {
  /** Every package table name starts with this. */
  readonly tablePrefix: string;
  /** The tenant table every package table references. */
  readonly tenantTable: string;
  /** Its key column (database name). */
  readonly tenantKey: string;
  /** Property name of the tenant column on every package table. */
  readonly workspaceProperty: string;
  /**
   * Severity of `ydtb/distribution-ready` (what Citus requires of a table distributed by tenant
   * beyond the keys isolation already requires): a warning until the platform commits to sharding.
   */
  readonly distributionReadiness: Severity;
  /**
   * Severity of `ydtb/workspace-cascade` (a foreign key to the tenant table that does not say
   * ON DELETE CASCADE, so erasing a workspace fails on the package's rows): a warning by default.
   */
  readonly workspaceCascade: Severity;
}
