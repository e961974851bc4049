import { CHANGE_KINDS, changeScopes, isAmbiguous, type SchemaObject } from './change-scopes.ts';
import { keyOf, mentions, namedRecords, schemaOf, type Snapshot } from './snapshot.ts';

/**
 * The schema half-way from `before` to `after` when a scope still holds objects gone (chosen to
 * be dropped) beside objects new: `after` without those new objects and whatever refers to them.
 * Diffing `before` -> middle then only drops in that scope and middle -> `after` only creates,
 * so drizzle-kit has nothing to ask in either diff. An object of `before` that refers to a
 * held-back one (an index, a constraint, a view, a policy) is left out of the middle too and
 * so dropped and created again; a column whose new type is held back keeps its old
 * definition in the middle; no table or column of `before` is ever left out.
 */
export function splitAtAmbiguities(before: Snapshot, after: Snapshot): Snapshot {
  const middle = structuredClone(after);
  for (;;) {
    const scopes = CHANGE_KINDS.flatMap((kind) => changeScopes(kind, before, middle)).filter(isAmbiguous);
    if (scopes.length === 0) return middle;
    const size = JSON.stringify(middle).length;
    for (const scope of scopes) for (const object of scope.created) leaveOut(middle, before, object);
    // Each round leaves something out; a round that does not would never end.
    if (JSON.stringify(middle).length === size) throw new Error('Cannot split the migration: an ambiguous change could not be held back.');
  }
}

function leaveOut(middle: Snapshot, before: Snapshot, object: SchemaObject): void {
  switch (object.kind) {
    case 'schema':
      delete middle.schemas[object.key];
      for (const kind of ['view', 'table', 'sequence', 'enum'] as const) {
        for (const [key, item] of Object.entries(namedRecords(middle)[kind])) {
          if (schemaOf(item) === object.name) leaveOut(middle, before, { kind, key, name: item.name, schema: object.name });
        }
      }
      return;
    case 'enum':
      delete middle.enums[object.key];
      forEachColumn(middle, (tableKey, columnKey, column) => {
        const type = column.type.replace(/(\[\d*\])+$/, '');
        if (type === object.name && (column.typeSchema || 'public') === object.schema) keepOldColumn(middle, before, tableKey, columnKey);
      });
      return;
    case 'sequence':
      delete middle.sequences?.[object.key];
      forEachColumn(middle, (tableKey, columnKey, column) => {
        if (mentions(column.default as string | undefined, object.name)) keepOldColumn(middle, before, tableKey, columnKey);
      });
      return;
    case 'role':
      delete middle.roles?.[object.key];
      dropPolicies(middle, (policy) => policy.to?.includes(object.name) ?? false);
      return;
    case 'table':
      leaveOutTable(middle, object);
      return;
    case 'column':
      leaveOutColumn(middle, object.parent!.key, object.key);
      return;
    case 'policy':
      if (object.parent) delete middle.tables[object.parent.key]?.policies[object.key];
      else delete middle.policies?.[object.key];
      return;
    case 'view':
      leaveOutView(middle, object.key);
      return;
    case 'enum value':
      // Not a kind drizzle-kit asks about: never split for it.
      return;
  }
}

function forEachColumn(snapshot: Snapshot, visit: (tableKey: string, columnKey: string, column: Snapshot['tables'][string]['columns'][string]) => void) {
  for (const [tableKey, table] of Object.entries(snapshot.tables)) {
    for (const [columnKey, column] of Object.entries(table.columns)) visit(tableKey, columnKey, column);
  }
}

/** A column that refers to a held-back type keeps its old definition, or waits for the second diff if it is new. */
function keepOldColumn(middle: Snapshot, before: Snapshot, tableKey: string, columnKey: string): void {
  const old = before.tables[tableKey]?.columns[columnKey];
  if (old) middle.tables[tableKey]!.columns[columnKey] = structuredClone(old);
  else leaveOutColumn(middle, tableKey, columnKey);
}

function leaveOutTable(middle: Snapshot, object: SchemaObject): void {
  delete middle.tables[object.key];
  for (const table of Object.values(middle.tables)) {
    for (const [name, fk] of Object.entries(table.foreignKeys)) {
      if (fk.tableTo === object.name && (fk.schemaTo || 'public') === object.schema) delete table.foreignKeys[name];
    }
  }
  leaveOutViewsMentioning(middle, object.name);
  for (const [name, policy] of Object.entries(middle.policies ?? {})) {
    if (mentions(policy.on, object.name)) delete middle.policies![name];
  }
}

function leaveOutColumn(middle: Snapshot, tableKey: string, columnKey: string): void {
  const table = middle.tables[tableKey];
  const column = table?.columns[columnKey];
  if (!table || !column) return;
  const name = column.name;
  delete table.columns[columnKey];
  const drop = <T>(record: Record<string, T>, refersToColumn: (item: T) => boolean) => {
    for (const [key, item] of Object.entries(record)) if (refersToColumn(item)) delete record[key];
  };
  drop(table.indexes, (index) =>
    mentions(index.where, name) ||
    index.columns.some((part) => (part.isExpression ? mentions(part.expression, name) : part.expression === name)),
  );
  drop(table.compositePrimaryKeys, (pk) => pk.columns.includes(name));
  drop(table.uniqueConstraints, (unique) => unique.columns.includes(name));
  drop(table.foreignKeys, (fk) => fk.columnsFrom.includes(name));
  drop(table.checkConstraints, (check) => mentions(check.value, name));
  drop(table.policies, (policy) => mentions(policy.using, name) || mentions(policy.withCheck, name));
  for (const other of Object.values(middle.tables)) {
    drop(other.foreignKeys, (fk) => fk.tableTo === table.name && (fk.schemaTo || 'public') === schemaOf(table) && fk.columnsTo.includes(name));
  }
  leaveOutViewsMentioning(middle, name);
}

function leaveOutViewsMentioning(middle: Snapshot, name: string): void {
  for (const [key, view] of Object.entries(middle.views ?? {})) {
    if (mentions(view.definition, name)) leaveOutView(middle, key);
  }
}

function leaveOutView(middle: Snapshot, key: string): void {
  const view = middle.views?.[key];
  if (!view) return;
  delete middle.views![key];
  leaveOutViewsMentioning(middle, view.name);
  leaveOutViewsMentioning(middle, keyOf(schemaOf(view), view.name));
}

function dropPolicies(middle: Snapshot, matches: (policy: { to?: string[] | undefined }) => boolean): void {
  for (const table of Object.values(middle.tables)) {
    for (const [name, policy] of Object.entries(table.policies)) if (matches(policy)) delete table.policies[name];
  }
  for (const [name, policy] of Object.entries(middle.policies ?? {})) if (matches(policy)) delete middle.policies![name];
}
