import type { getTableConfig } from 'drizzle-orm/pg-core';

/** A table's name as PostgreSQL resolves it: `schema.name` when it lives outside the default schema. */
export function qualifiedName(table: Pick<ReturnType<typeof getTableConfig>, 'name' | 'schema'>): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

/** Plain code-point order, so the diagram is the same on every machine (localeCompare is not). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
