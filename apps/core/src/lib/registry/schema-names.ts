import type { DatabaseRegistryConfig, InspectedObject, InspectedTable, InspectedView } from '../../types/database-registry.ts';
import { tableShape } from './table-shape.ts';

/** PostgreSQL namespaces a package's names live in (one schema, `public`). */
export type Namespace = 'relation' | 'type';

/** A name a package's DDL creates, with what creates it: `table "ydtb_notes"`, `enum type "ydtb_status"`. */
export interface SchemaName {
  readonly name: string;
  readonly namespace: Namespace;
  /** What it is, for messages: `table`, `view`, `enum type`, `sequence`, `index or key`. */
  readonly kind: string;
  /** The table it belongs to, if any. */
  readonly table?: string;
}

interface Schema {
  readonly tables: readonly InspectedTable[];
  readonly views: readonly InspectedView[];
  readonly objects: readonly InspectedObject[];
}

/**
 * Every name a schema puts in a PostgreSQL namespace: tables, views, sequences and indexes share
 * the relation namespace; enum types share the type namespace with tables and views, each of
 * which has a row type of its own name. Two objects with one name in one namespace fail at migrate.
 */
export function schemaNames(schema: Schema, config: DatabaseRegistryConfig): SchemaName[] {
  const names: SchemaName[] = [];
  for (const inspected of schema.tables) {
    const shape = tableShape(inspected, config);
    names.push({ name: shape.name, namespace: 'type', kind: 'table', table: shape.name });
    for (const name of shape.relationNames) {
      const kind = name === shape.name ? 'table' : shape.sequences.some((q) => q.name === name) ? 'sequence' : 'index or key';
      names.push({ name, namespace: 'relation', kind, table: shape.name });
    }
  }
  for (const view of schema.views) {
    const kind = view.materialized ? 'materialized view' : 'view';
    names.push({ name: view.name, namespace: 'relation', kind }, { name: view.name, namespace: 'type', kind });
  }
  for (const object of schema.objects) {
    names.push(object.kind === 'enum'
      ? { name: object.name, namespace: 'type', kind: 'enum type' }
      : { name: object.name, namespace: 'relation', kind: 'sequence' });
  }
  return names;
}
