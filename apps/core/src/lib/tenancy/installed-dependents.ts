import type { DatabaseRegistry } from '../registry/database';
import type { HistoryRow } from '../migrations/history';

/**
 * The registered packages that declare `packageName` among their dependencies and are installed
 * in the database (a migration of theirs is in effect): their tables may reference its tables,
 * so it cannot go before they do.
 */
export function installedDependents(registry: DatabaseRegistry, packageName: string, history: readonly HistoryRow[]): string[] {
  const installed = new Set(history.map((row) => row.packageName));
  return registry
    .list()
    .filter((pkg) => (pkg.registration.dependencies ?? []).includes(packageName) && installed.has(pkg.registration.packageName))
    .map((pkg) => pkg.registration.packageName);
}
