/**
 * The part of a drizzle-kit snapshot (`migrations/meta/NNNN_snapshot.json`, or
 * `generateDrizzleJson(schema)` from drizzle-kit/api) that baselining compares with the live catalog.
 */
export interface SchemaSnapshot {
  readonly tables: Readonly<Record<string, SnapshotTable>>;
}

export interface SnapshotTable {
  readonly name: string;
  readonly columns: Readonly<Record<string, SnapshotColumn>>;
  readonly compositePrimaryKeys?: Readonly<Record<string, { readonly columns: readonly string[] }>>;
  readonly foreignKeys?: Readonly<Record<string, SnapshotForeignKey>>;
}

export interface SnapshotColumn {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
}

export interface SnapshotForeignKey {
  readonly tableTo: string;
  readonly columnsFrom: readonly string[];
  readonly columnsTo: readonly string[];
}
