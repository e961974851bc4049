import { MigrationFolderError } from '@ydtb/plugin-api';
import { DatabaseBusyError } from '@ydtb/core/tooling';
import { DatabaseConnectionError } from '@ydtb/core/tooling';
import { PackageLoginError } from '@ydtb/core/tooling';
import { BaselineRefusedError } from '@ydtb/core/tooling';
import { DependencyError } from '@ydtb/core/tooling';
import { ChecksumMismatchError } from '@ydtb/core/tooling';
import { MigrationFailedError } from '@ydtb/core/tooling';
import { MigrationLintError } from '@ydtb/core/tooling';
import { NoTransactionFailedError } from '@ydtb/core/tooling';
import { RepairRefusedError } from '@ydtb/core/tooling';
import { RollbackFailedError } from '@ydtb/core/tooling';
import { RollbackRefusedError } from '@ydtb/core/tooling';
import { UnknownMigrationsError } from '@ydtb/core/tooling';
import { describeError } from '@ydtb/core/tooling';
import { TransferRefusedError, USAGE_PROBLEMS } from '@ydtb/core/tooling';
import { SchemaValidationError } from '@ydtb/core/tooling';
import { EXIT } from './cli-io.ts';
import { renderFindings } from './render-findings.ts';
import { renderViolations } from './render-violations.ts';
import { UsageError } from './usage-error.ts';

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
