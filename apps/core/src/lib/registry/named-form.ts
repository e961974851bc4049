import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { fitIdentifier } from '@ydtb/plugin-api';
import type { InspectedTable } from '../../types/database-registry.ts';

/** drizzle keeps `.references()` foreign keys apart from the table's third argument under this symbol. */
const INLINE_FOREIGN_KEYS = Symbol.for('drizzle:PgInlineForeignKeys');

/**
 * For a name drizzle generated (the author gave none) that is too long for PostgreSQL, the code
 * that declares the same constraint, index or sequence under a short deterministic name: the one
 * ydtbTable would give it. Undefined when `name` is not a generated name of this table.
 * `exportName` names a table in code (its schema export), falling back to its SQL name.
 */
export function namedForm(inspected: InspectedTable, name: string, exportName: (table: Table) => string): string | undefined {
  const { table, config } = inspected;
  const fitted = fitIdentifier(name);
  const property = propertyNames(table);
  const cols = (columns: readonly { name: string }[]) => columns.map((c) => `t.${property.get(c.name) ?? c.name}`).join(', ');
  const inline = (table as unknown as Record<symbol, unknown[]>)[INLINE_FOREIGN_KEYS] ?? [];
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    if (ref.name !== undefined || fk.getName() !== name) continue;
    const target = exportName(ref.foreignTable);
    const foreignProperty = propertyNames(ref.foreignTable);
    const foreign = ref.foreignColumns.map((c) => `${target}.${foreignProperty.get(c.name) ?? c.name}`).join(', ');
    const actions = `${fk.onDelete && fk.onDelete !== 'no action' ? `.onDelete('${fk.onDelete}')` : ''}${fk.onUpdate && fk.onUpdate !== 'no action' ? `.onUpdate('${fk.onUpdate}')` : ''}`;
    const code = `foreignKey({ name: '${fitted}', columns: [${cols(ref.columns)}], foreignColumns: [${foreign}] })${actions}`;
    return inline.includes(fk) ? `${code} in the table's third argument, in place of .references() on ${cols(ref.columns)}` : code;
  }
  for (const pk of config.primaryKeys) {
    if (pk.name === undefined && pk.getName() === name) return `primaryKey({ name: '${fitted}', columns: [${cols(pk.columns)}] })`;
  }
  for (const unique of config.uniqueConstraints) {
    if (unique.getName() === name && name === `${config.name}_${unique.columns.map((c) => c.name).join('_')}_unique`) {
      return `unique('${fitted}').on(${cols(unique.columns)})`;
    }
  }
  for (const column of config.columns) {
    if (column.isUnique && column.uniqueName === name && name === `${config.name}_${column.name}_unique`) {
      return `.unique('${fitted}') on t.${property.get(column.name) ?? column.name}`;
    }
    if (column.generatedIdentity && column.generatedIdentity.sequenceName === undefined && name === `${config.name}_${column.name}_seq`) {
      const method = column.generatedIdentity.type === 'always' ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity';
      return `.${method}({ name: '${fitted}' }) on t.${property.get(column.name) ?? column.name}`;
    }
  }
  for (const index of config.indexes) {
    const columns = index.config.columns as readonly { name?: unknown }[];
    if (index.config.name === undefined && columns.every((c) => typeof c.name === 'string')) {
      const named = columns as readonly { name: string }[];
      if (name === `${config.name}_${named.map((c) => c.name).join('_')}_index`) {
        return `${index.config.unique ? 'uniqueIndex' : 'index'}('${fitted}').on(${cols(named)})`;
      }
    }
  }
  return undefined;
}

function propertyNames(table: Table): Map<string, string> {
  return new Map(Object.entries(getTableColumns(table as PgTable) as Record<string, PgColumn>).map(([key, column]) => [column.name, key]));
}

/** How code names a table: its schema export, found among `tables`, else its SQL name. */
export function exportNameIn(tables: Iterable<InspectedTable>): (table: Table) => string {
  return (table) => {
    for (const inspected of tables) if (inspected.table === table) return inspected.exportName;
    return getTableName(table);
  };
}
