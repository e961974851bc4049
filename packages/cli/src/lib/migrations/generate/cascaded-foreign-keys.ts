import { schemaOf, type Snapshot } from './snapshot.ts';

/**
 * `before` without the foreign keys that point at tables gone in `after`. drizzle-kit drops a
 * table with `DROP TABLE … CASCADE`, which takes those keys with it, and then emits `DROP
 * CONSTRAINT` for each of them, which fails: they are gone already. Diffing from this snapshot,
 * which is what the database holds after the cascade, leaves those statements out.
 */
export function withoutCascadedForeignKeys(before: Snapshot, after: Snapshot): Snapshot {
  const gone = Object.entries(before.tables).filter(([key]) => !(key in after.tables));
  if (gone.length === 0) return before;
  const result = structuredClone(before);
  for (const table of Object.values(result.tables)) {
    for (const [name, fk] of Object.entries(table.foreignKeys)) {
      if (gone.some(([, target]) => target.name === fk.tableTo && schemaOf(target) === (fk.schemaTo || 'public'))) delete table.foreignKeys[name];
    }
  }
  return result;
}
