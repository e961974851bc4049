import type { Violation } from '../../types/database-registry.ts';

/** One line (plus a fix line when there is a hint) a person can act on. */
export function formatViolation(violation: Violation): string {
  const where = [violation.table && `table "${violation.table}"`, violation.column && `column "${violation.column}"`]
    .filter(Boolean)
    .join(', ');
  const location = where ? ` (${where})` : '';
  const line = `${violation.severity} ${violation.rule}${location}: ${violation.message}`;
  return violation.hint ? `${line}\n    fix: ${violation.hint}` : line;
}
