import { MigrationFolderError } from '@ydtb/plugin-api';
import { DatabaseBusyError } from '@ydtb/core/internal/lib/database/database-busy-error';
import { DatabaseConnectionError } from '@ydtb/core/internal/lib/database/database-connection-error';
import { PackageLoginError } from '@ydtb/core/internal/lib/package-roles/package-login-error';
import { BaselineRefusedError } from '@ydtb/core/internal/lib/migrations/baseline-refused-error';
import { DependencyError } from '@ydtb/core/internal/lib/migrations/dependency-error';
import { ChecksumMismatchError } from '@ydtb/core/internal/lib/migrations/checksum-mismatch-error';
import { MigrationFailedError } from '@ydtb/core/internal/lib/migrations/migration-failed-error';
import { MigrationLintError } from '@ydtb/core/internal/lib/migrations/migration-lint-error';
import { NoTransactionFailedError } from '@ydtb/core/internal/lib/migrations/no-transaction-failed-error';
import { RepairRefusedError } from '@ydtb/core/internal/lib/migrations/repair-refused-error';
import { RollbackFailedError } from '@ydtb/core/internal/lib/migrations/rollback-failed-error';
import { RollbackRefusedError } from '@ydtb/core/internal/lib/migrations/rollback-refused-error';
import { UnknownMigrationsError } from '@ydtb/core/internal/lib/migrations/unknown-migrations-error';
import { describeError } from '@ydtb/core/internal/lib/registry/describe-error';
import { TransferRefusedError, USAGE_PROBLEMS } from '@ydtb/core/internal/lib/tenancy/transfer-refused-error';
import { SchemaValidationError } from '@ydtb/core/internal/lib/registry/schema-validation-error';
import { EXIT } from './cli-io';
import { renderFindings } from './render-findings';
import { renderViolations } from './render-violations';
import { UsageError } from './usage-error';

/** Turns any failure into the text a person reads and the exit code a script reads. */
export function renderError(error: unknown): { text: string; code: number } {
  if (error instanceof UsageError) return { text: `error: ${error.message}\nRun with --help for usage.`, code: EXIT.usage };
  if (error instanceof SchemaValidationError) {
    return { text: `Invalid packages: ${error.errors.length} errors.\n${renderViolations(error.violations)}`, code: EXIT.invalid };
  }
  if (error instanceof DependencyError) return { text: `Invalid package dependencies: ${error.message}`, code: EXIT.invalid };
  if (error instanceof MigrationLintError) return { text: `Invalid migrations: ${error.message}\n${renderFindings(error.findings)}`, code: EXIT.invalid };
  if (error instanceof MigrationFolderError) return { text: `Invalid package migrations: ${error.message}`, code: EXIT.invalid };
  if (error instanceof BaselineRefusedError) {
    return { text: error.message, code: error.problem === 'unknown-package' || error.problem === 'unknown-migration' ? EXIT.usage : EXIT.failed };
  }
  if (error instanceof RepairRefusedError) {
    return { text: error.message, code: error.problem === 'no-reason' || error.problem === 'unknown-package' || error.problem === 'not-shipped' ? EXIT.usage : EXIT.failed };
  }
  if (error instanceof RollbackRefusedError) {
    const kind = error.problem.kind;
    return { text: error.message, code: kind === 'unknown-package' || kind === 'unknown-migration' ? EXIT.usage : EXIT.failed };
  }
  if (error instanceof TransferRefusedError) return { text: error.message, code: USAGE_PROBLEMS.has(error.problem) ? EXIT.usage : EXIT.failed };
  if (error instanceof DatabaseBusyError) return { text: `error: ${error.message}`, code: EXIT.busy };
  if (
    error instanceof ChecksumMismatchError ||
    error instanceof MigrationFailedError ||
    error instanceof NoTransactionFailedError ||
    error instanceof RollbackFailedError ||
    error instanceof UnknownMigrationsError ||
    error instanceof DatabaseConnectionError ||
    error instanceof PackageLoginError
  ) {
    return { text: error.message, code: EXIT.failed };
  }
  return { text: `error: ${describeError(error)}`, code: EXIT.failed };
}
