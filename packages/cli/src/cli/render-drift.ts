import type { Drift } from '@ydtb/core/tooling';

export function renderDrift(drift: readonly Drift[]): string {
  return drift.map((d) => `  ${d.kind} ${d.packageName ?? '(no package)'}: ${d.message}`).join('\n');
}
