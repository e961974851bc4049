import { getTableConfig, type AnyPgColumn, type ForeignKey } from 'drizzle-orm/pg-core';
import type { RegisteredPackage } from '@ydtb/core/tooling';
import { compareNames, qualifiedName } from './table-name.ts';

type TableConfig = ReturnType<typeof getTableConfig>;

/*
 * What an entity-relationship picture of the registered packages shows, read once from the
 * Drizzle tables: every drawing of it (Mermaid text, the page's SVG) renders this model, so the
 * keys and the cardinality of a relationship are decided in one place. The same packages always
 * give the same model: tables and foreign keys are sorted, columns keep their declaration order.
 */

export type ColumnKey = 'PK' | 'FK' | 'UK';

export interface ErColumn {
  readonly name: string;
  /** The SQL type as Drizzle writes it (`text`, `timestamp with time zone`). */
  readonly type: string;
  readonly keys: readonly ColumnKey[];
  readonly nullable: boolean;
}

export interface ErTable {
  /** The table as PostgreSQL resolves it: `schema.name`, or the name in the default schema. */
  readonly name: string;
  readonly columns: readonly ErColumn[];
}

export interface ErPackage {
  readonly packageName: string;
  readonly version: string;
  /** Sorted by name. */
  readonly tables: readonly ErTable[];
}

/**
 * One foreign key, drawn from the referenced (parent) table to the referencing (child) table.
 * The parent side is "exactly one" when every foreign key column is NOT NULL, else "zero or
 * one"; the child side is "zero or one" when the columns are a key of the child, else "zero or
 * more"; the relationship is identifying when the columns are part of the child's primary key.
 */
export interface ErRelationship {
  readonly parent: string;
  readonly child: string;
  /** The child's foreign key columns, in the key's order. */
  readonly columns: readonly string[];
  /** The parent's referenced columns, in the key's order. */
  readonly parentColumns: readonly string[];
  readonly parentSide: 'one' | 'zeroOrOne';
  readonly childSide: 'zeroOrOne' | 'many';
  readonly identifying: boolean;
}

export interface ErModel {
  /** In the order given (core first). */
  readonly packages: readonly ErPackage[];
  /** One per foreign key, grouped by child in the packages' table order, each child's sorted. */
  readonly relationships: readonly ErRelationship[];
}

/** The model of every table the given packages registered (pass core first: `registry.all()`). */
export function erModel(packages: readonly RegisteredPackage[]): ErModel {
  const configs = packages.map((pkg) => ({
    pkg,
    tables: pkg.tables.map((t) => t.config).sort((a, b) => compareNames(qualifiedName(a), qualifiedName(b))),
  }));
  return {
    packages: configs.map(({ pkg, tables }) => ({
      packageName: pkg.registration.packageName,
      version: pkg.registration.version,
      tables: tables.map(erTable),
    })),
    relationships: configs.flatMap(({ tables }) => tables.flatMap((table) => sortedForeignKeys(table).map((fk) => relationship(table, fk)))),
  };
}

function erTable(table: TableConfig): ErTable {
  const primary = new Set(primaryColumns(table));
  const foreign = new Set(table.foreignKeys.flatMap((fk) => fk.reference().columns.map((c) => c.name)));
  return {
    name: qualifiedName(table),
    columns: table.columns.map((column) => ({
      name: column.name,
      type: column.getSQLType(),
      keys: [
        primary.has(column.name) ? 'PK' : undefined,
        foreign.has(column.name) ? 'FK' : undefined,
        isUniqueAlone(table, column) ? 'UK' : undefined,
      ].filter((k): k is ColumnKey => k !== undefined),
      nullable: !column.notNull,
    })),
  };
}

function relationship(child: TableConfig, fk: ForeignKey): ErRelationship {
  const { columns, foreignColumns, foreignTable } = fk.reference();
  const primary = new Set(primaryColumns(child));
  return {
    parent: qualifiedName(getTableConfig(foreignTable)),
    child: qualifiedName(child),
    columns: columns.map((c) => c.name),
    parentColumns: foreignColumns.map((c) => c.name),
    parentSide: columns.every((c) => c.notNull) ? 'one' : 'zeroOrOne',
    childSide: isKeyOf(child, columns) ? 'zeroOrOne' : 'many',
    identifying: columns.every((c) => primary.has(c.name)),
  };
}

function sortedForeignKeys(table: TableConfig): ForeignKey[] {
  const sortKey = (fk: ForeignKey): string => {
    const { columns, foreignTable } = fk.reference();
    return `${columns.map((c) => c.name).join(',')}\u0000${qualifiedName(getTableConfig(foreignTable))}`;
  };
  return [...table.foreignKeys].sort((a, b) => compareNames(sortKey(a), sortKey(b)));
}

function primaryColumns(table: TableConfig): string[] {
  return [
    ...table.columns.filter((c) => c.primary).map((c) => c.name),
    ...table.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
  ];
}

/** The columns are exactly the primary key or a unique key of the table. */
function isKeyOf(table: TableConfig, columns: readonly AnyPgColumn[]): boolean {
  const wanted = columns.map((c) => c.name).sort().join(',');
  const keys = [
    primaryColumns(table),
    ...table.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
    ...table.columns.filter((c) => c.isUnique).map((c) => [c.name]),
  ];
  return keys.some((key) => [...key].sort().join(',') === wanted);
}

function isUniqueAlone(table: TableConfig, column: AnyPgColumn): boolean {
  return column.isUnique || table.uniqueConstraints.some((u) => u.columns.length === 1 && u.columns[0]!.name === column.name);
}
