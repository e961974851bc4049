import { quoteIdent } from '@ydtb/core/tooling';
import type { Snapshot, SnapshotColumn, SnapshotTable } from './snapshot.ts';

/** drizzle-kit's snapshot of an identity column's sequence: numbers as decimal strings. */
interface SnapshotIdentity {
  readonly startWith?: string;
  readonly increment?: string;
}

type Column = SnapshotColumn & { readonly identity?: SnapshotIdentity };

/** The serial pseudo-types and the integer type each one really is. */
const SERIAL_TYPES: Readonly<Record<string, string>> = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };
const NUMBER = /^-?\d+$/;
/** PostgreSQL's NAMEDATALEN - 1: the longest name it keeps. */
const MAX_NAME = 63;

/** A column of one table: where the statements for it start, `ALTER TABLE … ALTER COLUMN "…"`. */
interface ColumnOf {
  readonly table: SnapshotTable;
  readonly column: string;
}

type Switch =
  | (ColumnOf & { readonly to: 'identity'; readonly identity: SnapshotIdentity; readonly previousType: string })
  | (ColumnOf & { readonly to: 'serial'; readonly previousType: string; readonly serialType: string });

/**
 * drizzle-kit's statements with every switch between a serial-family column and an identity
 * column made to run on a table that has rows. drizzle-kit only alters the type and adds or drops
 * the identity, which fails both ways: serial → identity leaves the serial's default and
 * sequence in place (the identity's sequence takes the same name), and identity → serial sets the
 * type to `serial`, which is no type. Both directions also start the new sequence at 1, below
 * the ids the table holds. Columns are matched by table key and name, so `before` must have the
 * renames chosen for this diff applied.
 */
export function withSerialIdentitySwitches(before: Snapshot, after: Snapshot, statements: readonly string[]): string[] {
  let result = [...statements];
  for (const change of switchesBetween(before, after)) {
    result = change.to === 'identity' ? toIdentity(result, change) : toSerial(result, change);
  }
  return result;
}

function switchesBetween(before: Snapshot, after: Snapshot): Switch[] {
  return Object.entries(after.tables).flatMap(([key, table]) =>
    Object.values(table.columns as Record<string, Column>).flatMap((column): Switch[] => {
      const previous = before.tables[key]?.columns[column.name] as Column | undefined;
      if (!previous) return [];
      const at = { table, column: column.name };
      const previousType = serialTypeOf(previous.type);
      if (previousType && column.identity) return [{ ...at, to: 'identity', identity: column.identity, previousType }];
      const serialType = serialTypeOf(column.type);
      if (previous.identity && serialType) return [{ ...at, to: 'serial', previousType: previous.type, serialType }];
      return [];
    }),
  );
}

/** The integer type a serial pseudo-type stands for; undefined for any other type. */
function serialTypeOf(type: string): string | undefined {
  return Object.hasOwn(SERIAL_TYPES, type) ? SERIAL_TYPES[type] : undefined;
}

/**
 * Before the ADD GENERATED: drop the serial's default and sequence. After it: move the identity
 * past the rows. drizzle-kit's `SET DATA TYPE` to the type the serial already is changes nothing
 * and is left out, so the migration shows no type change (`ydtb/lint-column-type`).
 */
function toIdentity(input: string[], change: Extract<Switch, { to: 'identity' }>): string[] {
  const sameType = `${alterColumn(change)} SET DATA TYPE ${change.previousType};`;
  const statements = input.filter((statement) => statement !== sameType);
  const at = indexOf(statements, change, 'ADD GENERATED ');
  const { startWith = '1', increment = '1' } = change.identity;
  return [
    ...statements.slice(0, at),
    dropSerialSequence(change),
    statements[at]!,
    restartPastRows(change, number(startWith), increment.startsWith('-')),
    ...statements.slice(at + 1),
  ];
}

/**
 * No `SET DATA TYPE serial` (no such type): the type serial really is, when it changes. After
 * DROP IDENTITY, the sequence serial would own.
 */
function toSerial(statements: string[], change: Extract<Switch, { to: 'serial' }>): string[] {
  const typed = indexOf(statements, change, 'SET DATA TYPE ');
  const sameType = change.previousType === change.serialType;
  const result = statements.filter((_, i) => i !== typed || !sameType);
  if (!sameType) result[typed] = `${alterColumn(change)} SET DATA TYPE ${change.serialType};`;
  const dropped = indexOf(result, change, 'DROP IDENTITY;');
  const sequence = qualified(change.table, serialSequenceName(change.table.name, change.column));
  result.splice(
    dropped + 1,
    0,
    `CREATE SEQUENCE ${sequence} AS ${change.serialType} OWNED BY ${qualified(change.table, change.table.name)}.${quoteIdent(change.column)};`,
    `${alterColumn(change)} SET DEFAULT nextval(${literal(sequence)}::regclass);`,
    restartPastRows(change, '1', false),
  );
  return result;
}

function dropSerialSequence(change: ColumnOf): string {
  return `DO $$
DECLARE
  serial_sequence text := pg_get_serial_sequence(${literal(tableRef(change.table))}, ${literal(change.column)});
BEGIN
  ${alterColumn(change)} DROP DEFAULT;
  IF serial_sequence IS NOT NULL THEN
    EXECUTE 'DROP SEQUENCE ' || serial_sequence;
  END IF;
END $$;`;
}

/** The next value past every id the table holds, and never before the sequence's own start. */
function restartPastRows(change: ColumnOf, start: string, descending: boolean): string {
  const column = quoteIdent(change.column);
  const next = descending ? `least(coalesce(min(${column}) - 1, ${start}), ${start})` : `greatest(coalesce(max(${column}) + 1, ${start}), ${start})`;
  return `SELECT setval(pg_get_serial_sequence(${literal(tableRef(change.table))}, ${literal(change.column)}), ${next}, false) FROM ${tableRef(change.table)};`;
}

function indexOf(statements: readonly string[], change: ColumnOf, rest: string): number {
  const prefix = `${alterColumn(change)} ${rest}`;
  const at = statements.findIndex((statement) => statement.startsWith(prefix));
  if (at < 0) throw new Error(`drizzle-kit emitted no "${prefix}…" for the serial/identity switch of ${change.table.name}.${change.column}.`);
  return at;
}

/** Exactly as drizzle-kit writes it, so its statements are found by prefix. */
function alterColumn(change: ColumnOf): string {
  return `ALTER TABLE ${tableRef(change.table)} ALTER COLUMN ${quoteIdent(change.column)}`;
}

/** drizzle-kit qualifies a table only when the snapshot names a schema (`""` for the default one). */
function tableRef(table: SnapshotTable): string {
  return qualified(table, table.name);
}

function qualified(table: SnapshotTable, name: string): string {
  return table.schema ? `${quoteIdent(table.schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * The name PostgreSQL gives a serial column's sequence, `<table>_<column>_seq`, cut to fit the
 * way it does (makeObjectName: the longer of the two names loses a character at a time), so a
 * migrated database names it as a freshly created one would. Names are ASCII (`ydtb/identifiers`).
 */
export function serialSequenceName(table: string, column: string): string {
  const available = MAX_NAME - '_'.length - '_seq'.length;
  let tableChars = table.length;
  let columnChars = column.length;
  while (tableChars + columnChars > available) {
    if (tableChars > columnChars) tableChars--;
    else columnChars--;
  }
  return `${table.slice(0, tableChars)}_${column.slice(0, columnChars)}_seq`;
}

function number(text: string): string {
  if (!NUMBER.test(text)) throw new Error(`Not a whole number in the snapshot: "${text}".`);
  return text;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
