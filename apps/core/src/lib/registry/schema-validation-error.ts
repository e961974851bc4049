import type { Violation } from '../../types/database-registry.ts';
import { formatViolation } from './format-violation.ts';

/**
 * Thrown when a registration breaks at least one rule at error severity. It carries every
 * violation (warnings included), so callers can render them however they like.
 */
export class SchemaValidationError extends Error {
  readonly kind = 'schema-validation' as const;

  constructor(
    /** The rejected package, or several joined with ", " when a container rejected more than one. */
    readonly packageName: string,
    readonly violations: readonly Violation[],
  ) {
    super(describe(packageName, violations));
    this.name = 'SchemaValidationError';
  }

  get errors(): readonly Violation[] {
    return this.violations.filter((v) => v.severity === 'error');
  }
}

function describe(packageName: string, violations: readonly Violation[]): string {
  const errors = violations.filter((v) => v.severity === 'error').length;
  const names = packageName.split(', ');
  const subject = names.length === 1 ? `Package "${packageName}" was` : `Packages ${names.map((n) => `"${n}"`).join(', ')} were`;
  const heading = `${subject} not registered: ${errors} ${errors === 1 ? 'error' : 'errors'}.`;
  return [heading, ...violations.map((v) => `  ${formatViolation(v)}`)].join('\n');
}
