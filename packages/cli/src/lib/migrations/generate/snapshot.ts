/**
 * drizzle-kit's PostgreSQL snapshot (format 7): the schema as of one migration. Only the fields
 * read or changed here are spelled out (drizzle-kit's own type is built from zod and reaches
 * this package untyped); the rest is carried through untouched.
 */
export interface Snapshot {
  id: string;
  prevId: string;
  tables: Record<string, SnapshotTable>;
  enums: Record<string, Named & { values: string[] }>;
  schemas: Record<string, string>;
  sequences?: Record<string, Named>;
  roles?: Record<string, { name: string }>;
  policies?: Record<string, SnapshotPolicy>;
  views?: Record<string, Named & { definition?: string; materialized?: boolean }>;
}

export interface Named {
  name: string;
  schema?: string;
}

export interface SnapshotTable extends Named {
  columns: Record<string, SnapshotColumn>;
  indexes: Record<string, { name: string; columns: { expression: string; isExpression: boolean }[]; where?: string }>;
  foreignKeys: Record<string, SnapshotForeignKey>;
  compositePrimaryKeys: Record<string, { name: string; columns: string[] }>;
  uniqueConstraints: Record<string, { name: string; columns: string[] }>;
  policies: Record<string, SnapshotPolicy>;
  checkConstraints: Record<string, { name: string; value: string }>;
}

export interface SnapshotColumn {
  name: string;
  type: string;
  typeSchema?: string;
  default?: unknown;
}

export interface SnapshotForeignKey {
  name: string;
  tableFrom: string;
  tableTo: string;
  schemaTo?: string;
  columnsFrom: string[];
  columnsTo: string[];
}

export interface SnapshotPolicy {
  name: string;
  to?: string[];
  using?: string;
  withCheck?: string;
  on?: string;
}

/** drizzle-kit writes `""` or nothing for the default schema of tables, `"public"` elsewhere. */
export function schemaOf(item: { readonly schema?: string | undefined }): string {
  return item.schema || 'public';
}

/** The key drizzle-kit files a schema-bound object under: `<schema>.<name>`. */
export function keyOf(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** Every table, enum, sequence and view of `snapshot`, with the record it sits in. */
export function namedRecords(snapshot: Snapshot): Record<'table' | 'enum' | 'sequence' | 'view', Record<string, Named>> {
  return {
    table: snapshot.tables,
    enum: snapshot.enums,
    sequence: (snapshot.sequences ??= {}),
    view: (snapshot.views ??= {}),
  } as const;
}

/** Whether `text` (SQL) mentions `name` as a whole identifier. */
export function mentions(text: string | undefined, name: string): boolean {
  if (!text) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`).test(text);
}
