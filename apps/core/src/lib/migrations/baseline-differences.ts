import type { LiveTable } from './live-tables.ts';
import type { SchemaSnapshot, SnapshotTable } from './schema-snapshot.ts';

/** Drizzle-kit's names for types PostgreSQL prints another way (format_type). */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  serial: 'integer',
  smallserial: 'smallint',
  bigserial: 'bigint',
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  varchar: 'character varying',
  char: 'character',
};

/** One spelling for both sides: lower case, no spaces after commas, aliases resolved, precision kept. */
export function normaliseType(type: string): string {
  // drizzle-orm prints a Date-mode timestamp as "timestamp (3) with time zone" and a sized array
  // as "integer[3]"; PostgreSQL prints "timestamp(3) with time zone" and "integer[]".
  const compact = type
    .trim()
    .toLowerCase()
    .replace(/\s*,\s*/g, ',')
    .replace(/\s+\(/g, '(')
    .replace(/\[\d+\]/g, '[]')
    .replace(/^"(.*)"$/, '$1');
  const match = /^([a-z0-9_ ]+?)(\(.*\))?(\[\])*$/.exec(compact);
  if (!match) return compact;
  const [, base, args = '', ] = match;
  const arrays = compact.slice(base!.length + args.length);
  const name = TYPE_ALIASES[base!] ?? base!;
  // timestamp(3) is printed "timestamp(3) without time zone".
  const zoned = /^(timestamp|time) (with|without) time zone$/.exec(name);
  return (zoned && args ? `${zoned[1]}${args} ${zoned[2]} time zone` : `${name}${args}`) + arrays;
}

/**
 * What differs between the live tables and the package's schema as of a migration: missing
 * tables and columns, columns the schema does not have, types, nullability, primary keys and
 * foreign keys. One sentence each, sorted; empty when the catalog matches.
 */
export function baselineDifferences(expected: SchemaSnapshot, live: ReadonlyMap<string, LiveTable>): string[] {
  return Object.values(expected.tables)
    .flatMap((table) => tableDifferences(table, live.get(table.name)))
    .sort();
}

function tableDifferences(table: SnapshotTable, live: LiveTable | undefined): string[] {
  if (!live) return [`Table "${table.name}" does not exist.`];
  const differences: string[] = [];
  const columns = Object.values(table.columns);
  for (const column of columns) {
    const found = live.columns.get(column.name);
    const where = `Column "${table.name}.${column.name}"`;
    if (!found) {
      differences.push(`${where} does not exist (expected ${column.type}${column.notNull ? ' NOT NULL' : ''}).`);
      continue;
    }
    if (normaliseType(found.type) !== normaliseType(column.type)) differences.push(`${where} is ${found.type}, expected ${column.type}.`);
    if (found.notNull !== column.notNull) differences.push(`${where} is ${found.notNull ? 'NOT NULL' : 'nullable'}, expected ${column.notNull ? 'NOT NULL' : 'nullable'}.`);
  }
  const declared = new Set(columns.map((c) => c.name));
  for (const name of live.columns.keys()) {
    if (!declared.has(name)) differences.push(`Column "${table.name}.${name}" exists but the schema does not declare it.`);
  }
  const primaryKey = primaryKeyOf(table);
  if (primaryKey.join(', ') !== live.primaryKey.join(', ')) {
    differences.push(`Table "${table.name}" has primary key (${live.primaryKey.join(', ') || 'none'}), expected (${primaryKey.join(', ') || 'none'}).`);
  }
  const expectedKeys = Object.values(table.foreignKeys ?? {}).map((fk) => `(${fk.columnsFrom.join(', ')}) -> ${fk.tableTo}(${fk.columnsTo.join(', ')})`);
  const liveKeys = new Set(live.foreignKeys);
  for (const key of expectedKeys) if (!liveKeys.has(key)) differences.push(`Table "${table.name}" lacks the foreign key ${key}.`);
  const wanted = new Set(expectedKeys);
  for (const key of live.foreignKeys) if (!wanted.has(key)) differences.push(`Table "${table.name}" has the foreign key ${key}, which the schema does not declare.`);
  return differences;
}

function primaryKeyOf(table: SnapshotTable): string[] {
  const composite = Object.values(table.compositePrimaryKeys ?? {})[0];
  if (composite) return [...composite.columns];
  return Object.values(table.columns).filter((c) => c.primaryKey).map((c) => c.name);
}
