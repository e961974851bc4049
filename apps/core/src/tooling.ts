/**
 * What the ydtb CLI (and other tooling) uses from the host beyond the registry API: the migration,
 * status and tenancy steps behind each command, their errors and renderers' inputs. Published as
 * `@ydtb/core/tooling`; it follows the package's version, but it is shaped for the CLI, not for apps.
 */
export { DatabaseBusyError } from './lib/database/database-busy-error.ts';
export { DatabaseConnectionError } from './lib/database/database-connection-error.ts';
export { DEFAULT_DATA_DIR, openDatabase } from './lib/database/open-database.ts';
export type { DatabaseTarget, OpenedDatabase } from './lib/database/open-database.ts';
export { writeFileAtomic } from './lib/fs/write-file-atomic.ts';
export { quoteIdent } from './lib/isolation/quote-ident.ts';
export { baselineDatabase } from './lib/migrations/baseline-database.ts';
export { BaselineRefusedError } from './lib/migrations/baseline-refused-error.ts';
export { ChecksumMismatchError } from './lib/migrations/checksum-mismatch-error.ts';
export { DependencyError } from './lib/migrations/dependency-error.ts';
export type { Drift } from './lib/migrations/drift.ts';
export { readHistory, readHistoryLog } from './lib/migrations/history.ts';
export { historyEvents, historyOf } from './lib/migrations/history-report.ts';
export type { HistoryEvent } from './lib/migrations/history-report.ts';
export { InstalledPackageError } from './lib/migrations/installed-package-error.ts';
export { driftOf, migrateDatabase, packagesInOrder, planDatabase } from './lib/migrations/migrate-database.ts';
export { MigrationFailedError } from './lib/migrations/migration-failed-error.ts';
export { lintPending } from './lib/migrations/migration-lint.ts';
export type { MigrationFinding } from './lib/migrations/migration-lint.ts';
export { MigrationLintError } from './lib/migrations/migration-lint-error.ts';
export { pendingCount, planMigrations, unknownMigrations } from './lib/migrations/migration-plan.ts';
export { NoTransactionFailedError } from './lib/migrations/no-transaction-failed-error.ts';
export { packageSourceRoot, resolvePackageRoot } from './lib/migrations/package-root.ts';
export { withoutPendingDrift } from './lib/migrations/pending-drift.ts';
export { repairMigration } from './lib/migrations/repair-migration.ts';
export { RepairRefusedError } from './lib/migrations/repair-refused-error.ts';
export { readRepairs } from './lib/migrations/repairs.ts';
export { RollbackFailedError } from './lib/migrations/rollback-failed-error.ts';
export { rollbackPackage } from './lib/migrations/rollback-package.ts';
export { RollbackRefusedError } from './lib/migrations/rollback-refused-error.ts';
export type { RollbackTarget } from './lib/migrations/rollback-target.ts';
export type { SchemaSnapshot } from './lib/migrations/schema-snapshot.ts';
export { UnknownMigrationsError, deletePackageStatement, deleteStatement } from './lib/migrations/unknown-migrations-error.ts';
export { PackageLoginError } from './lib/package-roles/package-login-error.ts';
export { createContainer } from './lib/registry/container.ts';
export { isYdtbConfig, registryConfigOf } from './lib/registry/define-config.ts';
export type { YdtbConfig } from './lib/registry/define-config.ts';
export { DatabaseRegistry } from './lib/registry/database.ts';
export { describeError } from './lib/registry/describe-error.ts';
export { formatViolation } from './lib/registry/format-violation.ts';
export { globalTablesOf } from './lib/registry/global-tables.ts';
export type { GlobalTable } from './lib/registry/global-tables.ts';
export { REGISTRY_CONFIG } from './lib/registry/registry-config.ts';
export { SchemaValidationError } from './lib/registry/schema-validation-error.ts';
export { eraseWorkspace } from './lib/tenancy/erase-workspace.ts';
export { exportWorkspace } from './lib/tenancy/export-workspace.ts';
export { importWorkspace } from './lib/tenancy/import-workspace.ts';
export { restorePackage } from './lib/tenancy/restore-package.ts';
export { TransferRefusedError, USAGE_PROBLEMS } from './lib/tenancy/transfer-refused-error.ts';
export { uninstallPackage } from './lib/tenancy/uninstall-package.ts';
export type { DatabaseRegistryConfig, RegisteredPackage, Violation } from './types/database-registry.ts';
export { tableChangingStatements } from './lib/migrations/table-changes.ts';
