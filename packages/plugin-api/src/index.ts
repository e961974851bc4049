export type { EnvironmentContribution } from './environment-contribution';
export type { MigrationDefinition, SqlMigration, UpDownMigration } from './migration';
export type { PackageSchemaRegistration } from './package-registration';
export type { InspectedTable, RegisteredPackage, RuleContext, SchemaRule, StrayExport } from './schema-rule';
export type { Severity, Violation } from './violation';
export type { PackageContribution } from './define-package';
export { definePackage } from './define-package';
export { ENVIRONMENT_CONTRIBUTION, PACKAGE_SCHEMA, SCHEMA_RULE } from './tokens';
export { TABLE_PREFIX, workspaces, ydtbTable } from './workspaces';
