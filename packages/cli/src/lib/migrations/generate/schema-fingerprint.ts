import { createHash } from 'node:crypto';
import { Column, entityKind, getTableUniqueName, is, noopDecoder, noopEncoder, noopMapper, Table, View } from 'drizzle-orm';
import {
  ForeignKey,
  getMaterializedViewConfig,
  getTableConfig,
  getViewConfig,
  isPgEnum,
  isPgMaterializedView,
  isPgSequence,
  isPgView,
  PgPolicy,
  PgRole,
  PgSchema,
  PgTable,
} from 'drizzle-orm/pg-core';

/**
 * A sha256 of everything drizzle-kit's `generateDrizzleJson` can read from a schema module, built
 * from drizzle-orm's own objects without loading drizzle-kit: the exports drizzle-kit keeps
 * (tables, enums, schemas, views, sequences, roles, policies; in any order, under any export
 * name), each walked in full. Two schemas with the same fingerprint give drizzle-kit the same
 * input, so they have the same snapshot.
 *
 * The walk is exact or gives up: it reads every own property of drizzle-orm's objects (tables
 * through `getTableConfig`, with each column's SQL type; foreign keys through the `reference()`
 * drizzle-kit calls), and returns `undefined` for anything it cannot read as plain data (a
 * function it does not know, a class that is not drizzle-orm's, a cycle). `undefined` means
 * "unknown": the caller asks drizzle-kit.
 */
export function schemaFingerprint(schema: Readonly<Record<string, unknown>>): string | undefined {
  const entries: string[] = [];
  try {
    for (const value of Object.values(schema)) {
      const entry = exportEntry(value);
      if (entry !== undefined) entries.push(entry);
    }
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
  return createHash('sha256').update(entries.sort().join('\u0000')).digest('hex');
}

/** Bumped whenever the walk changes: a fingerprint of another format is never compared. */
export const FINGERPRINT_FORMAT = 1;

class Unreadable extends Error {}

/** What drizzle-kit's `prepareFromExports` keeps of one export, as text; undefined for what it ignores. */
function exportEntry(value: unknown): string | undefined {
  const out: string[] = [];
  if (isPgEnum(value)) {
    out.push('enum');
    walk(out, { schema: value.schema, name: value.enumName, values: value.enumValues }, '', 0);
    return out.join('\n');
  }
  if (is(value, PgTable)) tableEntry(out, value);
  if (is(value, PgSchema)) walk(pushed(out, 'schema'), value, '', 0);
  if (isPgView(value)) walk(pushed(out, 'view'), getViewConfig(value), '', 0);
  if (isPgMaterializedView(value)) walk(pushed(out, 'materialized view'), getMaterializedViewConfig(value), '', 0);
  if (isPgSequence(value)) walk(pushed(out, 'sequence'), value, '', 0);
  if (is(value, PgRole)) walk(pushed(out, 'role'), value, '', 0);
  if (is(value, PgPolicy)) walk(pushed(out, 'policy'), value, '', 0);
  return out.length ? out.join('\n') : undefined;
}

function pushed(out: string[], text: string): string[] {
  out.push(text);
  return out;
}

/** A table in full: its config, each column with its SQL type (custom types compute it). */
function tableEntry(out: string[], table: PgTable): void {
  const { columns, ...config } = getTableConfig(table);
  out.push('table');
  walk(out, config, '', 0);
  for (const column of columns) {
    out.push('column', column.getSQLType());
    walkColumn(out, column, 0);
  }
}

/**
 * Keys drizzle-kit never reads for a snapshot: runtime defaults and update values (`$defaultFn`,
 * `$onUpdateFn`), a custom type's functions (its SQL type is read through `getSQLType()`), and
 * the conversions of values to and from the driver (some column classes hold them as fields).
 */
const IGNORED_KEYS = new Set(['defaultFn', 'onUpdateFn', 'customTypeParams', 'decoder', 'mapToDriverValue', 'mapFromDriverValue', 'mapToJsonValue', 'mapFromJsonValue']);

/** Deeper than any schema object nests: past it, a cycle is assumed. */
const MAX_DEPTH = 64;

/**
 * Appends `value` as text to `out`. Keys keep their own order: drizzle-orm's classes assign
 * their fields in a fixed order, and drizzle-kit writes plain values (a jsonb default) in theirs.
 */
function walk(out: string[], value: unknown, key: string, depth: number): void {
  switch (typeof value) {
    case 'undefined':
      out.push('u');
      return;
    case 'boolean':
      out.push(value ? 't' : 'f');
      return;
    case 'number':
      out.push(Object.is(value, -0) ? 'n-0' : `n${value}`);
      return;
    case 'bigint':
      out.push(`i${value}`);
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'symbol':
      throw new Unreadable();
    case 'function':
      if (isPgEnum(value)) {
        out.push('enum');
        walk(out, [value.schema, value.enumName, value.enumValues], '', depth + 1);
        return;
      }
      // A generated column's expression may be a function; drizzle-kit calls it.
      if (key === 'as') {
        out.push('as');
        walk(out, (value as () => unknown)(), '', depth + 1);
        return;
      }
      throw new Unreadable();
  }
  if (value === null) {
    out.push('z');
    return;
  }
  if (depth > MAX_DEPTH) throw new Unreadable();
  if (value === noopDecoder || value === noopEncoder || value === noopMapper) {
    out.push('noop');
    return;
  }
  if (value instanceof Date) {
    out.push(`d${value.toISOString()}`);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (const item of value) walk(out, item, '', depth + 1);
    out.push(']');
    return;
  }
  // Other tables and columns are referred to by name, as SQL and snapshots name them.
  if (is(value, Table)) {
    tableRef(out, value);
    return;
  }
  if (is(value, Column)) {
    // An array's element column is part of its column: drizzle-kit reads its enum.
    if (key === 'baseColumn') {
      walkColumn(out, value, depth + 1);
    } else {
      out.push('column');
      tableRef(out, value.table);
      out.push(JSON.stringify(value.name));
    }
    return;
  }
  if (is(value, View)) {
    const { schema, name } = getViewConfig(value as never);
    out.push('view', JSON.stringify(schema ?? ''), JSON.stringify(name));
    return;
  }
  if (is(value, ForeignKey)) {
    // drizzle-kit reads a foreign key through reference(), which names the columns on both sides.
    out.push('fk');
    walk(out, [value.reference(), value.onUpdate, value.onDelete, value.getName()], '', depth + 1);
    return;
  }
  walkObject(out, value as object, depth, undefined);
}

/**
 * A column: every own field but `config`, the builder's settings its constructor copied into
 * those fields (drizzle-kit reads the fields: name, type, default, keys, identity, generated…).
 */
function walkColumn(out: string[], column: Column, depth: number): void {
  walkObject(out, column, depth, 'config');
}

/** A plain object or one of drizzle-orm's: its class and every own property but the ignored ones. */
function walkObject(out: string[], object: object, depth: number, skip: string | undefined): void {
  const prototype = Object.getPrototypeOf(object) as { constructor?: { [entityKind]?: string } } | null;
  const kind = prototype === null || prototype === Object.prototype ? '' : prototype.constructor?.[entityKind];
  // Maps, class instances of other libraries, buffers: not known to be plain data.
  if (kind === undefined) throw new Unreadable();
  out.push(kind, '{');
  for (const key of Object.keys(object)) {
    const field = (object as Record<string, unknown>)[key];
    // An undefined field reads as an absent one (drizzle-kit deletes some it finds undefined).
    if (field === undefined || key === skip || IGNORED_KEYS.has(key)) continue;
    out.push(JSON.stringify(key));
    walk(out, field, key, depth + 1);
  }
  out.push('}');
}

function tableRef(out: string[], table: Table): void {
  out.push('table', JSON.stringify(getTableUniqueName(table)));
}
