import { DependencyError } from '../lib/migrations/dependency-error';
import { ChecksumMismatchError } from '../lib/migrations/checksum-mismatch-error';
import { MigrationFailedError } from '../lib/migrations/migration-failed-error';
import { SchemaValidationError } from '../lib/registry/schema-validation-error';
import { EXIT } from './cli-io';
import { renderViolations } from './render-violations';
import { UsageError } from './usage-error';

/** Turns any failure into the text a person reads and the exit code a script reads. */
export function renderError(error: unknown): { text: string; code: number } {
  if (error instanceof UsageError) return { text: `error: ${error.message}\nRun with --help for usage.`, code: EXIT.usage };
  if (error instanceof SchemaValidationError) {
    return { text: `Invalid packages: ${error.errors.length} errors.\n${renderViolations(error.violations)}`, code: EXIT.invalid };
  }
  if (error instanceof DependencyError) return { text: `Invalid package dependencies: ${error.message}`, code: EXIT.invalid };
  if (error instanceof ChecksumMismatchError || error instanceof MigrationFailedError) {
    return { text: error.message, code: EXIT.failed };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { text: `error: ${message}`, code: EXIT.failed };
}
