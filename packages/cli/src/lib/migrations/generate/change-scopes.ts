import { keyOf, namedRecords, schemaOf, type Snapshot } from './snapshot.ts';

/**
 * The kinds of objects drizzle-kit pairs up by asking the author, in the order it asks
 * (`applyPgSnapshotsDiff` in drizzle-kit: schemas, enums, sequences, roles, tables, columns,
 * policies, views). Each resolver prompts only when, within one scope, something is gone and
 * something is new: it cannot tell a rename from a drop and a create.
 */
export const CHANGE_KINDS = ['schema', 'enum', 'sequence', 'role', 'table', 'column', 'policy', 'view'] as const;

/**
 * What the author settles, in order: drizzle-kit's kinds, and the values of an enum. drizzle-kit
 * does not ask about those: a value gone beside a value new is always read as a drop (the type is
 * recreated and rows holding the old value fail the cast), never as `RENAME VALUE`.
 */
export const CHOICE_KINDS = ['schema', 'enum', 'enum value', 'sequence', 'role', 'table', 'column', 'policy', 'view'] as const;
export type ChangeKind = (typeof CHOICE_KINDS)[number];

/** The table of a column or policy, the enum of a value. */
export interface ParentRef {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
}

/** One schema object as drizzle-kit's resolvers see it. */
export interface SchemaObject {
  readonly kind: ChangeKind;
  /** The object's key in its snapshot record (`<schema>.<name>` for tables, enums, sequences, views). */
  readonly key: string;
  readonly name: string;
  /** Enums, sequences, tables and views: their schema (`public` by default). */
  readonly schema?: string;
  /** Columns and table policies: their table; enum values: their enum. */
  readonly parent?: ParentRef;
}

/** What one drizzle-kit resolver is handed: the objects gone and the objects new in one scope. */
export interface ChangeScope {
  readonly kind: ChangeKind;
  readonly parent?: ParentRef;
  readonly deleted: readonly SchemaObject[];
  readonly created: readonly SchemaObject[];
}

/** drizzle-kit would prompt for this scope. */
export function isAmbiguous(scope: ChangeScope): boolean {
  return scope.deleted.length > 0 && scope.created.length > 0;
}

/** The scopes of one kind in which something is gone or new between two snapshots. */
export function changeScopes(kind: ChangeKind, previous: Snapshot, current: Snapshot): ChangeScope[] {
  switch (kind) {
    case 'schema':
      return scope(kind, undefined, previous.schemas, current.schemas, (key) => ({ kind, key, name: key }));
    case 'role':
      return scope(kind, undefined, previous.roles ?? {}, current.roles ?? {}, (key, role) => ({ kind, key, name: role.name }));
    case 'enum':
    case 'sequence':
    case 'table':
    case 'view':
      return scope(kind, undefined, namedRecords(previous)[kind], namedRecords(current)[kind], (key, item) => ({
        kind,
        key,
        name: item.name,
        schema: schemaOf(item),
      }));
    case 'enum value':
      return Object.entries(previous.enums).flatMap(([key, before]) => {
        const after = current.enums[key];
        if (!after) return [];
        const parent: ParentRef = { key, schema: schemaOf(before), name: before.name };
        const values = (list: readonly string[]) => Object.fromEntries(list.map((value) => [value, value]));
        return scope(kind, parent, values(before.values ?? []), values(after.values ?? []), (value) => ({ kind, key: value, name: value, parent }));
      });
    case 'column':
      return tablesInBoth(previous, current).flatMap(([parent, before, after]) =>
        scope(kind, parent, before.columns, after.columns, (key, column) => ({ kind, key, name: column.name, parent })),
      );
    case 'policy':
      return [
        ...tablesInBoth(previous, current).flatMap(([parent, before, after]) =>
          scope(kind, parent, before.policies, after.policies, (key, policy) => ({ kind, key, name: policy.name, parent })),
        ),
        ...scope(kind, undefined, previous.policies ?? {}, current.policies ?? {}, (key, policy) => ({ kind, key, name: policy.name })),
      ];
  }
}

function tablesInBoth(previous: Snapshot, current: Snapshot) {
  return Object.entries(previous.tables).flatMap(([key, before]) => {
    const after = current.tables[key];
    if (!after) return [];
    const table: ParentRef = { key, schema: schemaOf(before), name: before.name };
    return [[table, before, after] as const];
  });
}

function scope<T>(
  kind: ChangeKind,
  parent: ParentRef | undefined,
  previous: Readonly<Record<string, T>>,
  current: Readonly<Record<string, T>>,
  object: (key: string, item: T) => SchemaObject,
): ChangeScope[] {
  const deleted = Object.keys(previous).filter((key) => !(key in current)).map((key) => object(key, previous[key]!));
  const created = Object.keys(current).filter((key) => !(key in previous)).map((key) => object(key, current[key]!));
  if (deleted.length === 0 && created.length === 0) return [];
  return [{ kind, ...(parent ? { parent } : {}), deleted, created }];
}

/**
 * How the author names an object on the command line, e.g. `ydtb_crm_contacts.full_name` (a
 * column) or `ydtb_crm_status.archived` (an enum value: an enum never shares a table's name).
 */
export function objectRef(object: SchemaObject): string {
  switch (object.kind) {
    case 'schema':
      return `schema:${object.name}`;
    case 'role':
      return `role:${object.name}`;
    case 'column':
    case 'enum value':
      return `${qualified(object.parent!.schema, object.parent!.name)}.${object.name}`;
    case 'policy':
      return object.parent ? `policy:${qualified(object.parent.schema, object.parent.name)}.${object.name}` : `policy:${object.name}`;
    default:
      return qualified(object.schema!, object.name);
  }
}

/** The new name in `--rename <old>=<new>`: the bare name, schema-qualified when not `public`. */
export function renameTarget(object: SchemaObject): string {
  return object.schema === undefined ? object.name : qualified(object.schema, object.name);
}

/** A table or other schema-bound object on the command line: schema-qualified when not `public`. */
export function qualified(schema: string, name: string): string {
  return schema === 'public' ? name : keyOf(schema, name);
}
