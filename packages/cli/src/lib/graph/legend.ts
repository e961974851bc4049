import type { RegisteredPackage } from '@ydtb/core/internal/types/database-registry';
import { compareNames, qualifiedName } from './table-name';

/** One package of the diagram's legend: what the page lists as plain HTML beside the picture. */
export interface LegendEntry {
  readonly packageName: string;
  readonly version: string;
  readonly tables: readonly string[];
}

/** The legend of the given packages, in their order, tables sorted like the diagram's. */
export function legendOf(packages: readonly RegisteredPackage[]): LegendEntry[] {
  return packages.map((pkg) => ({
    packageName: pkg.registration.packageName,
    version: pkg.registration.version,
    tables: pkg.tables.map((t) => qualifiedName(t.config)).sort(compareNames),
  }));
}
