import type { DatabaseRegistryConfig, InspectedTable, RegisteredPackage } from '../../types/database-registry.ts';
import type { SqlClient } from '../database/sql-client.ts';
import { tableShape, type TableShape } from '../registry/table-shape.ts';
import type { RowSource } from './row-files.ts';

/**
 * How a table's rows belong to a workspace:
 * - `tenant`: the workspaces table itself (its key is the workspace id);
 * - `workspace`: it has a workspace column (package tables, memberships);
 * - `shared`: a core table without one (users), whose rows a workspace's rows reference;
 * - `global`: a package's declared global table (a lookup list), the same for every workspace.
 */
export type TableScope = 'tenant' | 'workspace' | 'shared' | 'global';

export interface TransferTable {
  readonly packageName: string;
  readonly name: string;
  readonly scope: TableScope;
  /** The workspace column (`workspace` scope), or the tenant key (`tenant` scope). */
  readonly workspaceColumn?: string;
  readonly shape: TableShape;
  /** Whether the table belongs to core (read and written as the migrating role, never as the application role). */
  readonly core: boolean;
}

/**
 * Every table of `packages` (core first, then in dependency order), each after the tables its
 * foreign keys reference: the order rows are written in, and the reverse of the order they are
 * deleted in. A cycle between tables (possible only through nullable keys) keeps the declared order.
 */
export function tablesInDependencyOrder(
  packages: readonly RegisteredPackage[],
  core: RegisteredPackage,
  config: DatabaseRegistryConfig,
): TransferTable[] {
  const declared = packages.flatMap((pkg) => pkg.tables.map((table) => transferTable(pkg, table, pkg === core, config)));
  const byName = new Map(declared.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const ordered: TransferTable[] = [];
  const visiting = new Set<string>();
  const place = (table: TransferTable) => {
    if (placed.has(table.name) || visiting.has(table.name)) return;
    visiting.add(table.name);
    for (const fk of table.shape.foreignKeys) {
      const target = byName.get(fk.foreignTable);
      if (target && target !== table) place(target);
    }
    visiting.delete(table.name);
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of declared) place(table);
  return ordered;
}

function transferTable(pkg: RegisteredPackage, inspected: InspectedTable, core: boolean, config: DatabaseRegistryConfig): TransferTable {
  const shape = tableShape(inspected, config);
  const packageName = pkg.registration.packageName;
  const base = { packageName, name: shape.name, shape, core };
  if (shape.name === config.tenantTable) return { ...base, scope: 'tenant', workspaceColumn: config.tenantKey };
  if (shape.workspaceColumn && !Object.hasOwn(pkg.registration.globalTables ?? {}, shape.name)) {
    return { ...base, scope: 'workspace', workspaceColumn: shape.workspaceColumn };
  }
  return { ...base, scope: core ? 'shared' : 'global' };
}

/** A live column as the catalog has it. */
export interface LiveColumn {
  readonly name: string;
  /** `format_type()`: what a text value is cast to on the way in. */
  readonly type: string;
  /** A generated (computed) column: never exported nor written. */
  readonly generated: boolean;
  /** The sequence of a serial or identity column, qualified and quoted as `pg_get_serial_sequence` gives it. */
  readonly sequence: string | null;
}

const LIVE_COLUMNS = `
SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attgenerated <> '' AS generated,
       pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS sequence
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])
 ORDER BY c.relname, a.attnum`;

/** The live columns of each table, in column order; a table that does not exist is absent. */
export async function readLiveColumns(client: SqlClient, tables: readonly string[]): Promise<Map<string, LiveColumn[]>> {
  const rows = await client.query<{ table_name: string; name: string; type: string; generated: boolean; sequence: string | null }>(LIVE_COLUMNS, [tables]);
  const columns = new Map<string, LiveColumn[]>();
  for (const row of rows) {
    const list = columns.get(row.table_name) ?? [];
    list.push({ name: row.name, type: row.type, generated: row.generated, sequence: row.sequence });
    columns.set(row.table_name, list);
  }
  return columns;
}

/**
 * The order a table's rows are written in: by primary key (else by every column), so the same
 * rows always give the same file; parents first when the table references itself.
 */
export function rowOrder(table: TransferTable, columns: readonly string[]): Pick<RowSource, 'orderBy' | 'selfReferences'> {
  const key = table.shape.primaryKey?.columns;
  if (!key) return { orderBy: columns };
  const selfReferences = table.shape.foreignKeys
    .filter((fk) => fk.foreignTable === table.name)
    .map((fk) => ({ columns: fk.columns, foreignColumns: fk.foreignColumns }));
  return selfReferences.length ? { orderBy: key, selfReferences } : { orderBy: key };
}
