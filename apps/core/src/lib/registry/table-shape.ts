import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { DatabaseRegistryConfig, InspectedTable } from '../../types/database-registry';

/**
 * The keys, indexes and names of a table as PostgreSQL will see them, derived from drizzle's
 * table config (column-level `.primaryKey()` / `.unique()` included), for the rules that need them.
 */
export interface TableShape {
  readonly name: string;
  readonly workspaceColumn?: string;
  /** Column lists of the primary key and of every unique constraint or unique index. */
  readonly primaryKey?: KeyShape;
  readonly uniques: readonly KeyShape[];
  /** Every index (unique or not) with its leading column, including the ones keys create. */
  readonly indexes: readonly KeyShape[];
  readonly foreignKeys: readonly ForeignKeyShape[];
  /** Names that live in the schema's relation namespace: the table, its indexes and key indexes. */
  readonly relationNames: readonly string[];
  /** Every identifier the table's DDL will use: table, columns, indexes, constraints. */
  readonly identifiers: readonly { readonly kind: string; readonly name: string }[];
}

export interface KeyShape {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKeyShape extends KeyShape {
  readonly foreignTable: string;
  readonly foreignColumns: readonly string[];
}

export function tableShape({ table, config }: InspectedTable, registryConfig: DatabaseRegistryConfig): TableShape {
  const name = config.name;
  const workspaceColumn = (getTableColumns(table) as Record<string, PgColumn | undefined>)[registryConfig.workspaceProperty]?.name;
  const columnPk = config.columns.filter((c) => c.primary).map((c) => c.name);
  const compositePk = config.primaryKeys[0];
  const primaryKey: KeyShape | undefined = compositePk
    ? { name: compositePk.getName(), columns: compositePk.columns.map((c) => c.name) }
    : columnPk.length
      ? { name: `${name}_pkey`, columns: columnPk }
      : undefined;
  const uniques: KeyShape[] = [
    ...config.columns.filter((c) => c.isUnique).map((c) => ({ name: c.uniqueName ?? `${name}_${c.name}_key`, columns: [c.name] })),
    ...config.uniqueConstraints.map((u) => ({ name: u.getName() ?? `${name}_unique`, columns: u.columns.map((c) => c.name) })),
    ...config.indexes.filter((i) => i.config.unique).map((i) => ({ name: i.config.name ?? `${name}_idx`, columns: indexColumns(i.config.columns) })),
  ];
  const plainIndexes = config.indexes.map((i) => ({ name: i.config.name ?? `${name}_idx`, columns: indexColumns(i.config.columns) }));
  const foreignKeys = config.foreignKeys.map((fk): ForeignKeyShape => {
    const ref = fk.reference();
    return {
      name: fk.getName(),
      columns: ref.columns.map((c) => c.name),
      foreignTable: getTableName(ref.foreignTable),
      foreignColumns: ref.foreignColumns.map((c) => c.name),
    };
  });
  const keyIndexes = [...(primaryKey ? [primaryKey] : []), ...uniques];
  return {
    name,
    ...(workspaceColumn ? { workspaceColumn } : {}),
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    indexes: [...keyIndexes, ...plainIndexes.filter((i) => !uniques.some((u) => u.name === i.name))],
    foreignKeys,
    relationNames: [name, ...new Set([...keyIndexes, ...plainIndexes].map((k) => k.name))],
    identifiers: [
      { kind: 'table', name },
      ...config.columns.map((c) => ({ kind: 'column', name: c.name })),
      ...plainIndexes.map((i) => ({ kind: 'index', name: i.name })),
      ...keyIndexes.map((k) => ({ kind: 'constraint', name: k.name })),
      ...foreignKeys.map((f) => ({ kind: 'constraint', name: f.name })),
      ...config.checks.map((c) => ({ kind: 'constraint', name: c.name })),
    ],
  };
}

/** Index columns are columns or SQL expressions; an expression has no name to check. */
function indexColumns(columns: readonly unknown[]): string[] {
  return columns.map((c) => (typeof (c as { name?: unknown }).name === 'string' ? (c as { name: string }).name : '<expression>'));
}
