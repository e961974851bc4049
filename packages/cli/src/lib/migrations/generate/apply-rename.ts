import { quoteIdent } from '@ydtb/core/tooling';
import type { SchemaObject } from './change-scopes.ts';
import { keyOf, namedRecords, schemaOf, type Snapshot, type SnapshotTable } from './snapshot.ts';

/** An object gone from the previous snapshot that the author says lives on as a new one. */
export interface Rename {
  readonly from: SchemaObject;
  readonly to: SchemaObject;
}

/**
 * Renames `from` to `to` in `snapshot` (a copy of the previous snapshot, changed in place) the way
 * PostgreSQL does, references included, and returns the statements that do it in the database.
 * Diffing the result against the current schema then sees no object gone and new: drizzle-kit
 * has nothing to ask.
 */
export function applyRename(snapshot: Snapshot, current: Snapshot, { from, to }: Rename): string[] {
  switch (from.kind) {
    case 'schema':
      return renameSchema(snapshot, from.name, to.name);
    case 'role':
      return renameRole(snapshot, from, to);
    case 'column':
      return renameColumn(snapshot, from, to);
    case 'enum value':
      return renameEnumValue(snapshot, from, to);
    case 'policy':
      return renamePolicy(snapshot, from, to);
    case 'enum':
    case 'sequence':
    case 'table':
    case 'view':
      return renameNamed(snapshot, current, from, to);
  }
}

function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Tables are written as drizzle-kit writes them: unqualified in `public`. */
function tableName(schema: string, name: string): string {
  return schema === 'public' ? quoteIdent(name) : qualifiedName(schema, name);
}

function renameSchema(snapshot: Snapshot, from: string, to: string): string[] {
  delete snapshot.schemas[from];
  snapshot.schemas[to] = to;
  for (const record of Object.values(namedRecords(snapshot))) {
    for (const [key, item] of Object.entries(record as Record<string, { name: string; schema?: string }>)) {
      if (item.schema !== from) continue;
      delete record[key];
      item.schema = to;
      (record as Record<string, unknown>)[keyOf(to, item.name)] = item;
    }
  }
  for (const table of Object.values(snapshot.tables)) {
    for (const column of Object.values(table.columns)) if (column.typeSchema === from) column.typeSchema = to;
    for (const fk of Object.values(table.foreignKeys)) if (fk.schemaTo === from) fk.schemaTo = to;
  }
  return [`ALTER SCHEMA ${quoteIdent(from)} RENAME TO ${quoteIdent(to)};`];
}

function renameRole(snapshot: Snapshot, from: SchemaObject, to: SchemaObject): string[] {
  const roles = (snapshot.roles ??= {});
  const role = roles[from.key]!;
  delete roles[from.key];
  roles[to.key] = { ...role, name: to.name };
  const policies = [...Object.values(snapshot.tables).flatMap((t) => Object.values(t.policies)), ...Object.values(snapshot.policies ?? {})];
  for (const policy of policies) policy.to = policy.to?.map((r) => (r === from.name ? to.name : r));
  return [`ALTER ROLE ${quoteIdent(from.name)} RENAME TO ${quoteIdent(to.name)};`];
}

function renameColumn(snapshot: Snapshot, from: SchemaObject, to: SchemaObject): string[] {
  const table = snapshot.tables[from.parent!.key]!;
  const column = table.columns[from.key]!;
  delete table.columns[from.key];
  table.columns[to.key] = { ...column, name: to.name };
  const swap = (names: string[]) => names.map((n) => (n === from.name ? to.name : n));
  for (const index of Object.values(table.indexes)) {
    for (const part of index.columns) if (!part.isExpression && part.expression === from.name) part.expression = to.name;
  }
  for (const pk of Object.values(table.compositePrimaryKeys)) pk.columns = swap(pk.columns);
  for (const unique of Object.values(table.uniqueConstraints)) unique.columns = swap(unique.columns);
  for (const fk of Object.values(table.foreignKeys)) fk.columnsFrom = swap(fk.columnsFrom);
  for (const other of Object.values(snapshot.tables)) {
    for (const fk of Object.values(other.foreignKeys)) {
      if (references(fk, from.parent!.schema, table.name)) fk.columnsTo = swap(fk.columnsTo);
    }
  }
  return [`ALTER TABLE ${tableName(from.parent!.schema, table.name)} RENAME COLUMN ${quoteIdent(from.name)} TO ${quoteIdent(to.name)};`];
}

function renameEnumValue(snapshot: Snapshot, from: SchemaObject, to: SchemaObject): string[] {
  const type = snapshot.enums[from.parent!.key]!;
  type.values = type.values.map((value) => (value === from.name ? to.name : value));
  const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
  return [`ALTER TYPE ${qualifiedName(from.parent!.schema, type.name)} RENAME VALUE ${literal(from.name)} TO ${literal(to.name)};`];
}

function renamePolicy(snapshot: Snapshot, from: SchemaObject, to: SchemaObject): string[] {
  if (from.parent) {
    const table = snapshot.tables[from.parent.key]!;
    const policy = table.policies[from.key]!;
    delete table.policies[from.key];
    table.policies[to.key] = { ...policy, name: to.name };
    return [`ALTER POLICY ${quoteIdent(from.name)} ON ${tableName(from.parent.schema, table.name)} RENAME TO ${quoteIdent(to.name)};`];
  }
  const policies = (snapshot.policies ??= {});
  const policy = policies[from.key]!;
  delete policies[from.key];
  policies[to.key] = { ...policy, name: to.name };
  return [`ALTER POLICY ${quoteIdent(from.name)} ON ${policy.on} RENAME TO ${quoteIdent(to.name)};`];
}

const KEYWORD = { enum: 'TYPE', sequence: 'SEQUENCE', table: 'TABLE', view: 'VIEW' } as const;

function renameNamed(snapshot: Snapshot, current: Snapshot, from: SchemaObject, to: SchemaObject): string[] {
  const kind = from.kind as keyof typeof KEYWORD;
  const record = namedRecords(snapshot)[kind] as Record<string, { name: string; schema?: string }>;
  const target = (namedRecords(current)[kind] as Record<string, { name: string; schema?: string }>)[to.key]!;
  const item = record[from.key]!;
  delete record[from.key];
  record[to.key] = { ...item, name: to.name, schema: target.schema ?? item.schema };
  const fromSchema = from.schema!;
  const toSchema = to.schema!;

  if (kind === 'enum') retypeColumns(snapshot, from, to);
  if (kind === 'table') repointForeignKeys(snapshot, from, to, target as SnapshotTable);
  const materialized = kind === 'view' && (item as { materialized?: boolean }).materialized ? 'MATERIALIZED ' : '';
  const keyword = `${materialized}${KEYWORD[kind]}`;
  const name = (schema: string, n: string) => (kind === 'table' ? tableName(schema, n) : qualifiedName(schema, n));
  const statements: string[] = [];
  if (from.name !== to.name) statements.push(`ALTER ${keyword} ${name(fromSchema, from.name)} RENAME TO ${quoteIdent(to.name)};`);
  if (fromSchema !== toSchema) statements.push(`ALTER ${keyword} ${name(fromSchema, to.name)} SET SCHEMA ${quoteIdent(toSchema)};`);
  return statements;
}

/** Columns of a renamed enum type follow it, as they do in PostgreSQL. */
function retypeColumns(snapshot: Snapshot, from: SchemaObject, to: SchemaObject): void {
  for (const table of Object.values(snapshot.tables)) {
    for (const column of Object.values(table.columns)) {
      const base = column.type.replace(/(\[\d*\])+$/, '');
      if (base !== from.name || (column.typeSchema || 'public') !== from.schema) continue;
      column.type = `${to.name}${column.type.slice(base.length)}`;
      column.typeSchema = to.schema;
    }
  }
}

/** Foreign keys from and to a renamed table follow it, as they do in PostgreSQL. */
function repointForeignKeys(snapshot: Snapshot, from: SchemaObject, to: SchemaObject, target: SnapshotTable): void {
  for (const table of Object.values(snapshot.tables)) {
    for (const fk of Object.values(table.foreignKeys)) {
      if (fk.tableFrom === from.name && table.name === to.name && schemaOf(table) === to.schema) fk.tableFrom = to.name;
      if (references(fk, from.schema!, from.name)) {
        fk.tableTo = to.name;
        if ((target.schema || 'public') !== from.schema) fk.schemaTo = target.schema || 'public';
      }
    }
  }
}

function references(fk: { tableTo: string; schemaTo?: string | undefined }, schema: string, name: string): boolean {
  return fk.tableTo === name && (fk.schemaTo || 'public') === schema;
}
