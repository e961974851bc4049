import { getTableColumns, type Column } from 'drizzle-orm';
import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry';
import type { TableToSecure } from './policy-state';

/**
 * Every table of a package, with its workspace column. Core's tables are not listed: they are
 * the platform's own (workspaces, users, memberships) and are read across workspaces by it.
 */
export function tablesToSecure(pkg: RegisteredPackage, config: DatabaseRegistryConfig): TableToSecure[] {
  return pkg.tables.flatMap(({ table, config: tableConfig }) => {
    const column = (getTableColumns(table) as Record<string, Column | undefined>)[config.workspaceProperty];
    return column ? [{ table: tableConfig.name, workspaceColumn: column.name }] : [];
  });
}
