import type { RegisteredPackage } from '../../types/database-registry.ts';

/** A table a package declared global, with the reason a reviewer reads. */
export interface GlobalTable {
  readonly packageName: string;
  readonly table: string;
  readonly reason: string;
}

/** Every declared global table of `packages`, in package order, then by table name. */
export function globalTablesOf(packages: readonly RegisteredPackage[]): GlobalTable[] {
  return packages.flatMap(({ registration }) =>
    Object.entries(registration.globalTables ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, reason]) => ({ packageName: registration.packageName, table, reason })),
  );
}
