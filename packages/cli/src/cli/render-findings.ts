import type { MigrationFinding } from '@ydtb/core/tooling';

/** Migration findings grouped by package, each with its file, line and fix. */
export function renderFindings(findings: readonly MigrationFinding[]): string {
  const byPackage = new Map<string, MigrationFinding[]>();
  for (const finding of findings) byPackage.set(finding.packageName, [...(byPackage.get(finding.packageName) ?? []), finding]);
  return [...byPackage]
    .map(([name, list]) =>
      [name, ...list.map((f) => `  ${f.severity} ${f.rule} (${f.migration}.sql, line ${f.line}): ${f.message}\n      fix: ${f.hint}`)].join('\n'),
    )
    .join('\n');
}
