import { Column, ColumnBuilder, is, Relations, Table, View } from 'drizzle-orm';
import {
  getMaterializedViewConfig,
  getTableConfig,
  getViewConfig,
  isPgEnum,
  isPgSequence,
  PgMaterializedView,
  PgPolicy,
  PgRole,
  PgSchema,
  PgTable,
  PgView,
} from 'drizzle-orm/pg-core';
import type { InspectedObject, InspectedTable, InspectedView, StrayExport } from '../../types/database-registry.ts';

/**
 * A registration's schema module split into what the registry validates (tables, views, enum types,
 * sequences) and the values that look like database objects but are not pg-core ones (strays).
 * Relations and plain values (functions, constants, TypeScript enums, helper objects without
 * Drizzle columns) are ignored: real schema files hold them, and they create nothing.
 */
export interface InspectedSchema {
  readonly tables: readonly InspectedTable[];
  readonly views: readonly InspectedView[];
  readonly objects: readonly InspectedObject[];
  readonly strays: readonly StrayExport[];
}

/** Reads a schema module the way drizzle-orm does (`is`, `getTableConfig`), never by duck-typing. */
export function inspectSchema(schema: Readonly<Record<string, unknown>>): InspectedSchema {
  const tables: InspectedTable[] = [];
  const views: InspectedView[] = [];
  const objects: InspectedObject[] = [];
  const strays: StrayExport[] = [];
  for (const exportName of Object.keys(schema)) {
    const value = schema[exportName];
    if (is(value, PgTable)) tables.push({ exportName, table: value, config: getTableConfig(value) });
    else if (is(value, PgView)) {
      const config = getViewConfig(value);
      views.push({ exportName, name: config.name, materialized: false, securityInvoker: config.with?.securityInvoker === true });
    } else if (is(value, PgMaterializedView)) {
      views.push({ exportName, name: getMaterializedViewConfig(value).name, materialized: true, securityInvoker: false });
    } else if (isPgEnum(value)) objects.push({ exportName, kind: 'enum', name: value.enumName });
    else if (isPgSequence(value)) objects.push({ exportName, kind: 'sequence', name: value.seqName ?? exportName });
    else {
      const description = strayDescription(value);
      if (description) strays.push({ exportName, description });
    }
  }
  return { tables, views, objects, strays };
}

/** Why a value would be mistaken for (or create) a database object, or undefined when it is harmless. */
function strayDescription(value: unknown): string | undefined {
  if (is(value, Relations)) return undefined;
  if (is(value, PgSchema)) return 'a PostgreSQL schema (pgSchema); package objects live in the public schema';
  if (is(value, Table)) return 'a Drizzle table of another dialect (not pg-core)';
  if (is(value, View)) return 'a Drizzle view of another dialect (not pg-core)';
  if (is(value, Column) || is(value, ColumnBuilder)) return 'a Drizzle column, not a table (columns belong inside ydtbTable(…))';
  if (is(value, PgPolicy)) return 'a row-level security policy (pgPolicy); the registry installs the only policy a package table may have';
  if (is(value, PgRole)) return 'a database role (pgRole); roles belong to the platform, not to packages';
  if (typeof value !== 'object' || value === null) return undefined;
  const held = heldDrizzleObject(value);
  return held ? `${Array.isArray(value) ? 'an array' : 'an object'} holding ${held}; the registry only reads tables exported on their own` : undefined;
}

/** A table, view or column inside a helper object or array (one level deep): exported there, it is never migrated. */
function heldDrizzleObject(value: object): string | undefined {
  let values: unknown[];
  try {
    values = Object.values(value);
  } catch {
    return undefined;
  }
  for (const inner of values) {
    if (is(inner, Table)) return 'a Drizzle table';
    if (is(inner, View)) return 'a Drizzle view';
    if (is(inner, Column) || is(inner, ColumnBuilder)) return 'Drizzle columns';
  }
  return undefined;
}
