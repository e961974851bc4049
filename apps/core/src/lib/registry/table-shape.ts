import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { DatabaseRegistryConfig, InspectedTable } from '../../types/database-registry.ts';

/**
 * The keys, indexes and names of a table as PostgreSQL will see them, derived from drizzle's
 * table config (column-level `.primaryKey()` / `.unique()` included), for the rules that need them.
 */
export interface TableShape {
  readonly name: string;
  readonly workspaceColumn?: string;
  /** Whether the workspace column is NOT NULL (absent without one). */
  readonly workspaceNotNull?: boolean;
  /** Identity columns with their SQL type. */
  readonly identityColumns: readonly { readonly name: string; readonly sqlType: string }[];
  /** Column lists of the primary key and of every unique constraint or unique index. */
  readonly primaryKey?: KeyShape;
  readonly uniques: readonly KeyShape[];
  /** Every index (unique or not) with its leading column, including the ones keys create. */
  readonly indexes: readonly KeyShape[];
  readonly foreignKeys: readonly ForeignKeyShape[];
  /** Sequences the table's columns create: identity columns (named in the DDL) and serial ones (named by PostgreSQL). */
  readonly sequences: readonly SequenceShape[];
  /** Names that live in the schema's relation namespace: the table, its indexes, key indexes and sequences. */
  readonly relationNames: readonly string[];
  /** Every identifier the table's DDL will spell out: table, columns, indexes, constraints, identity sequences. */
  readonly identifiers: readonly { readonly kind: string; readonly name: string }[];
}

export interface KeyShape {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKeyShape extends KeyShape {
  readonly foreignTable: string;
  readonly foreignColumns: readonly string[];
  /** `no action`, `restrict`, `cascade`, `set null` or `set default`. */
  readonly onDelete: string;
  readonly onUpdate: string;
}

export interface SequenceShape {
  readonly name: string;
  readonly column: string;
  /** An identity column's sequence is named in the DDL; a serial column's is chosen (and shortened) by PostgreSQL. */
  readonly named: boolean;
}

const SERIAL_TYPES = new Set(['PgSerial', 'PgSmallSerial', 'PgBigSerial53', 'PgBigSerial64']);

/**
 * Shapes are derived from immutable data (an InspectedTable is frozen with its registration),
 * so each is computed once per table and registry config, however many rules ask for it.
 */
const shapes = new WeakMap<InspectedTable, { readonly registryConfig: DatabaseRegistryConfig; readonly shape: TableShape }>();

export function tableShape(inspected: InspectedTable, registryConfig: DatabaseRegistryConfig): TableShape {
  const cached = shapes.get(inspected);
  if (cached?.registryConfig === registryConfig) return cached.shape;
  const shape = computeTableShape(inspected, registryConfig);
  shapes.set(inspected, { registryConfig, shape });
  return shape;
}

function computeTableShape({ table, config }: InspectedTable, registryConfig: DatabaseRegistryConfig): TableShape {
  const name = config.name;
  const workspace = (getTableColumns(table) as Record<string, PgColumn | undefined>)[registryConfig.workspaceProperty];
  const identityColumns: { name: string; sqlType: string }[] = [];
  const identifiers: { kind: string; name: string }[] = [{ kind: 'table', name }];
  const columnPk: string[] = [];
  const uniques: KeyShape[] = [];
  const sequences: SequenceShape[] = [];
  for (const c of config.columns) {
    identifiers.push({ kind: 'column', name: c.name });
    if (c.primary) columnPk.push(c.name);
    if (c.isUnique) uniques.push({ name: c.uniqueName ?? `${name}_${c.name}_unique`, columns: [c.name] });
    if (c.generatedIdentity) {
      sequences.push({ name: c.generatedIdentity.sequenceName ?? `${name}_${c.name}_seq`, column: c.name, named: true });
      identityColumns.push({ name: c.name, sqlType: c.getSQLType() });
    } else if (SERIAL_TYPES.has(c.columnType)) sequences.push({ name: `${name}_${c.name}_seq`, column: c.name, named: false });
  }
  const compositePk = config.primaryKeys[0];
  const primaryKey: KeyShape | undefined = compositePk
    ? { name: compositePk.getName(), columns: compositePk.columns.map((c) => c.name) }
    : columnPk.length
      ? { name: `${name}_pkey`, columns: columnPk }
      : undefined;
  for (const u of config.uniqueConstraints) uniques.push({ name: u.getName() ?? `${name}_unique`, columns: u.columns.map((c) => c.name) });
  const plainIndexes: KeyShape[] = [];
  for (const i of config.indexes) {
    const columns = indexColumns(i.config.columns);
    // drizzle-kit's name for an unnamed index on columns.
    const index = { name: i.config.name ?? `${name}_${columns.join('_')}_index`, columns };
    plainIndexes.push(index);
    if (i.config.unique) uniques.push({ name: index.name, columns: index.columns });
  }
  const foreignKeys: ForeignKeyShape[] = [];
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    foreignKeys.push({
      name: ref.name ?? fk.getName(),
      columns: ref.columns.map((c) => c.name),
      foreignTable: getTableName(ref.foreignTable),
      foreignColumns: ref.foreignColumns.map((c) => c.name),
      onDelete: fk.onDelete ?? 'no action',
      onUpdate: fk.onUpdate ?? 'no action',
    });
  }
  const keyIndexes = primaryKey ? [primaryKey, ...uniques] : uniques;
  const indexes = plainIndexes.length ? [...keyIndexes, ...plainIndexes.filter((i) => !uniques.some((u) => u.name === i.name))] : keyIndexes;
  const relationNames = [name];
  const seen = new Set<string>();
  for (const k of keyIndexes) if (!seen.has(k.name)) seen.add(k.name), relationNames.push(k.name);
  for (const k of plainIndexes) if (!seen.has(k.name)) seen.add(k.name), relationNames.push(k.name);
  for (const q of sequences) if (!seen.has(q.name)) seen.add(q.name), relationNames.push(q.name);
  for (const i of plainIndexes) identifiers.push({ kind: 'index', name: i.name });
  for (const q of sequences.filter((q) => q.named)) identifiers.push({ kind: 'sequence', name: q.name });
  // A column-level primary key is named by PostgreSQL (<table>_pkey, shortened to fit), not by the DDL.
  for (const k of keyIndexes) if (compositePk || k !== primaryKey) identifiers.push({ kind: 'constraint', name: k.name });
  for (const f of foreignKeys) identifiers.push({ kind: 'constraint', name: f.name });
  for (const c of config.checks) identifiers.push({ kind: 'constraint', name: c.name });
  const shape: { -readonly [K in keyof TableShape]: TableShape[K] } = { name, identityColumns, uniques, indexes, foreignKeys, sequences, relationNames, identifiers };
  if (workspace) {
    shape.workspaceColumn = workspace.name;
    shape.workspaceNotNull = workspace.notNull;
  }
  if (primaryKey) shape.primaryKey = primaryKey;
  return shape;
}

/** Index columns are columns or SQL expressions; an expression has no name to check. */
function indexColumns(columns: readonly unknown[]): string[] {
  return columns.map((c) => (typeof (c as { name?: unknown }).name === 'string' ? (c as { name: string }).name : '<expression>'));
}
