import type { SqlClient } from '../database/sql-client.ts';
import type { DatabaseRegistry } from '../registry/database.ts';

/** A registered package that depends on another and has tables in the database. */
export interface DependentTables {
  readonly packageName: string;
  /** Its registered tables that exist in the database, sorted. */
  readonly tables: readonly string[];
}

/**
 * The registered packages that depend on `packageName` (list it in their `dependencies`; every
 * package depends on core) and whose tables exist in the database: removing the package's tables
 * would break theirs (foreign keys into it) or the code that reads them. Empty when none has a table.
 */
export async function dependentsWithTables(client: SqlClient, registry: DatabaseRegistry, packageName: string): Promise<DependentTables[]> {
  const isCore = packageName === registry.core.registration.packageName;
  const dependents = registry
    .list()
    .filter((p) => p.registration.packageName !== packageName && (isCore || (p.registration.dependencies ?? []).includes(packageName)));
  const names = dependents.flatMap((p) => p.tables.map((t) => t.config.name));
  if (names.length === 0) return [];
  const rows = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') AND relname = ANY($1::text[])`,
    [names],
  );
  const live = new Set(rows.map((r) => r.name));
  return dependents
    .map((p) => ({ packageName: p.registration.packageName, tables: p.tables.map((t) => t.config.name).filter((name) => live.has(name)).sort() }))
    .filter((d) => d.tables.length > 0);
}
