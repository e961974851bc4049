import type { Violation } from '@ydtb/core/tooling';
import { formatViolation } from '@ydtb/core/tooling';

/** Violations grouped by package, errors before warnings, each with its fix. */
export function renderViolations(violations: readonly Violation[]): string {
  const byPackage = new Map<string, Violation[]>();
  for (const violation of violations) {
    byPackage.set(violation.packageName, [...(byPackage.get(violation.packageName) ?? []), violation]);
  }
  return [...byPackage]
    .map(([name, list]) => {
      const sorted = [...list].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
      return [`${name}`, ...sorted.map((v) => `  ${formatViolation(v).replace(/\n/g, '\n  ')}`)].join('\n');
    })
    .join('\n');
}
