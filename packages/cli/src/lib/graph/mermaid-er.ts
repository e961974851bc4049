import { getTableConfig, type AnyPgColumn, type ForeignKey } from 'drizzle-orm/pg-core';
import type { RegisteredPackage } from '@ydtb/core/internal/types/database-registry';
import { ErNames } from './er-names';
import { attributeComment, attributeWord, quoted } from './mermaid-syntax';
import { compareNames, qualifiedName } from './table-name';

type TableConfig = ReturnType<typeof getTableConfig>;

/**
 * The Mermaid `erDiagram` of every table the given packages registered (pass core first:
 * `[registry.core, ...registry.list()]`). Tables are grouped per package, in the order given,
 * each group a `%% package <name>` comment and a subgraph (Mermaid 12 supports subgraphs in
 * ER diagrams); then one relationship per foreign key, parent first, labelled with the foreign
 * key's columns. The same packages always give the same text: tables and foreign keys are
 * sorted, columns keep their declaration order.
 */
export function toMermaidEr(packages: readonly RegisteredPackage[]): string {
  const groups = packages.map((pkg) => ({
    name: pkg.registration.packageName,
    version: pkg.registration.version,
    tables: pkg.tables.map((t) => t.config).sort((a, b) => compareNames(qualifiedName(a), qualifiedName(b))),
  }));
  const tables = groups.flatMap((g) => g.tables);
  const names = new ErNames();
  // Tables are named first so they keep their own names; groups give way to them.
  for (const table of tables) names.of(tableKey(table), qualifiedName(table));
  const lines = ['erDiagram'];
  for (const group of groups) {
    lines.push(`  %% package ${oneLine(group.name)}`);
    if (group.tables.length === 0) continue;
    const id = names.of(`package:${group.name}`, `pkg_${group.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`);
    lines.push(`  subgraph ${id}[${quoted(`${group.name} ${group.version}`)}]`);
    for (const table of group.tables) lines.push(...entityLines(table, names.of(tableKey(table)), '    '));
    lines.push('  end');
  }
  const relationships = tables.flatMap((table) => sortedForeignKeys(table).map((fk) => relationshipLine(table, fk, names)));
  if (relationships.length > 0) lines.push('  %% relationships: one per foreign key, parent ||--o{ child : "fk columns"', ...relationships);
  return `${lines.join('\n')}\n`;
}

function entityLines(table: TableConfig, name: string, indent: string): string[] {
  if (table.columns.length === 0) return [`${indent}${name}`];
  const primary = new Set(primaryColumns(table));
  const foreign = new Set(table.foreignKeys.flatMap((fk) => fk.reference().columns.map((c) => c.name)));
  const attributes = table.columns.map((column) => {
    const keys = [
      primary.has(column.name) ? 'PK' : undefined,
      foreign.has(column.name) ? 'FK' : undefined,
      isUniqueAlone(table, column) ? 'UK' : undefined,
    ].filter((k) => k !== undefined);
    const parts = [attributeWord(column.getSQLType()), attributeWord(column.name)];
    if (keys.length > 0) parts.push(keys.join(', '));
    if (!column.notNull) parts.push(attributeComment('nullable'));
    return `${indent}  ${parts.join(' ')}`;
  });
  return [`${indent}${name} {`, ...attributes, `${indent}}`];
}

/**
 * `parent ||--o{ child : "columns"`: the parent side is "exactly one" when every foreign key
 * column is NOT NULL (else "zero or one"); the child side is "zero or one" when the columns
 * are a key of the child (else "zero or more"); the line is solid (identifying) when the
 * columns are part of the child's primary key, dashed otherwise.
 */
function relationshipLine(child: TableConfig, fk: ForeignKey, names: ErNames): string {
  const { columns, foreignTable } = fk.reference();
  const parent = getTableConfig(foreignTable);
  const parentSide = columns.every((c) => c.notNull) ? '||' : '|o';
  const childSide = isKeyOf(child, columns) ? 'o|' : 'o{';
  const primary = new Set(primaryColumns(child));
  const line = columns.every((c) => primary.has(c.name)) ? '--' : '..';
  const label = quoted(columns.map((c) => c.name).join(', '));
  return `  ${names.of(tableKey(parent), qualifiedName(parent))} ${parentSide}${line}${childSide} ${names.of(tableKey(child))} : ${label}`;
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

/** Identifies a table however it is reached (registered, or as a foreign key's target). */
function tableKey(table: TableConfig): string {
  return `table:${qualifiedName(table)}`;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
