import { is, Relations, Table } from 'drizzle-orm';
import {
  getMaterializedViewConfig,
  getTableConfig,
  getViewConfig,
  isPgEnum,
  isPgSequence,
  PgMaterializedView,
  PgSchema,
  PgTable,
  PgView,
} from 'drizzle-orm/pg-core';
import type { InspectedObject, InspectedTable, InspectedView, StrayExport } from '../../types/database-registry';

/** A registration's schema module split into the tables to validate and the values that do not belong. */
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
    else if (!is(value, Relations) && !is(value, PgSchema)) strays.push({ exportName, description: describeValue(value) });
  }
  return { tables, views, objects, strays };
}

const MAX_DESCRIPTION = 60;

function describeValue(value: unknown): string {
  if (is(value, Table)) return 'a Drizzle table of another dialect (not pg-core)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > MAX_DESCRIPTION ? `${value.slice(0, MAX_DESCRIPTION)}…` : value;
    return `a string (${JSON.stringify(shown)})`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'a plain object, not a Drizzle table';
  return `a ${typeof value}`;
}
