import { getTableColumns, getTableName, is } from 'drizzle-orm';
import {
  ForeignKeyBuilder,
  IndexBuilder,
  PgColumn,
  PgTable,
  pgTableCreator,
  PrimaryKeyBuilder,
  UniqueConstraintBuilder,
  type ForeignKey,
} from 'drizzle-orm/pg-core';
import { fitIdentifier } from './fit-identifier.ts';
import { TABLE_PREFIX } from './table-prefix.ts';

const createTable = pgTableCreator((name) => `${TABLE_PREFIX}${name}`);

/**
 * Creates tables named `ydtb_<name>`: `ydtbTable('basic_notes', …)` is `ydtb_basic_notes`.
 *
 * Constraint, index and identity sequence names drizzle generates (`<table>_<columns>_<target>_fk`,
 * `…_pk`, `…_unique`, `…_index`, `…_seq`) grow with the table name; PostgreSQL would cut one longer than 63 bytes
 * silently. ydtbTable gives such a name a short deterministic form instead (see fitIdentifier);
 * names that fit, and names you give, stay exactly as they are.
 */
export const ydtbTable: typeof createTable = ((...args: Parameters<typeof createTable>) => {
  const table = createTable(...args);
  fitGeneratedNames(table);
  return table;
}) as typeof createTable;

/** drizzle's internal slots this relies on (`PgTable.Symbol.InlineForeignKeys`, `.ExtraConfigBuilder`). */
const INLINE_FOREIGN_KEYS = Symbol.for('drizzle:PgInlineForeignKeys');
const EXTRA_CONFIG_BUILDER = Symbol.for('drizzle:ExtraConfigBuilder');

interface Reference {
  readonly name?: string;
  readonly columns: readonly PgColumn[];
  readonly foreignColumns: readonly PgColumn[];
}
type Referenced = { reference: () => Reference };
type Slots = { [INLINE_FOREIGN_KEYS]: ForeignKey[]; [EXTRA_CONFIG_BUILDER]?: (columns: unknown) => unknown };

function fitGeneratedNames(table: PgTable): void {
  const slots = table as unknown as Slots;
  const tableName = getTableName(table);
  for (const fk of slots[INLINE_FOREIGN_KEYS]) fitReference(fk as unknown as Referenced, tableName);
  for (const column of Object.values(getTableColumns(table))) {
    const mutable = column as { uniqueName: string | undefined };
    if (column.isUnique && mutable.uniqueName === `${tableName}_${column.name}_unique`) mutable.uniqueName = fitIdentifier(mutable.uniqueName);
    // drizzle-kit names an identity column's sequence `<table>_<column>_seq` in the DDL.
    const identity = column.generatedIdentity as { sequenceName?: string | undefined } | undefined;
    if (identity && identity.sequenceName === undefined) identity.sequenceName = fittedOrUndefined(`${tableName}_${column.name}_seq`);
  }
  const extraConfig = slots[EXTRA_CONFIG_BUILDER];
  if (!extraConfig) return;
  slots[EXTRA_CONFIG_BUILDER] = (columns) => {
    const built = extraConfig(columns);
    for (const builder of Array.isArray(built) ? built.flat(1) : Object.values(built as object)) fitBuilder(builder, tableName);
    return built;
  };
}

/**
 * Names the reference the way drizzle's ForeignKey.getName() would, shortened when too long.
 * Worked out on the first call, once every module has loaded (the reference is a callback so a
 * table can point at one defined later), and kept: it names fixed tables and columns, and the
 * registry, drizzle-kit and getName() each ask for it.
 */
function fitReference(fk: Referenced, tableName: string): void {
  const reference = fk.reference;
  let fittedRef: Reference | undefined;
  fk.reference = () => (fittedRef ??= fit(reference(), tableName));
}

function fit(ref: Reference, tableName: string): Reference {
  if (ref.name !== undefined || ref.foreignColumns.length === 0) return ref;
  const generated = [
    tableName,
    ...ref.columns.map((c) => c.name),
    getTableName(ref.foreignColumns[0]!.table),
    ...ref.foreignColumns.map((c) => c.name),
  ].join('_') + '_fk';
  const fitted = fitIdentifier(generated);
  return fitted === generated ? ref : { ...ref, name: fitted };
}

function fitBuilder(builder: unknown, tableName: string): void {
  if (is(builder, ForeignKeyBuilder)) fitReference(builder as unknown as Referenced, tableName);
  else if (is(builder, PrimaryKeyBuilder)) {
    const pk = builder as unknown as { name?: string | undefined; columns: readonly PgColumn[] };
    if (pk.name === undefined) pk.name = fittedOrUndefined(`${tableName}_${pk.columns.map((c) => c.name).join('_')}_pk`);
  } else if (is(builder, UniqueConstraintBuilder)) {
    const unique = builder as unknown as { name?: string | undefined; columns: readonly PgColumn[] };
    if (unique.name === undefined) unique.name = fittedOrUndefined(`${tableName}_${unique.columns.map((c) => c.name).join('_')}_unique`);
  } else if (is(builder, IndexBuilder)) {
    const config = (builder as unknown as { config: { name?: string | undefined; columns: readonly unknown[] } }).config;
    const names = config.columns.map((c) => (c as { name?: unknown }).name);
    // drizzle-kit names an unnamed index on columns `<table>_<columns>_index`; an expression index must be named.
    if (config.name === undefined && names.every((n) => typeof n === 'string')) {
      config.name = fittedOrUndefined(`${tableName}_${names.join('_')}_index`);
    }
  }
}

/** The short form of a generated name that would not fit; undefined keeps drizzle's own name. */
function fittedOrUndefined(generated: string): string | undefined {
  const fitted = fitIdentifier(generated);
  return fitted === generated ? undefined : fitted;
}
