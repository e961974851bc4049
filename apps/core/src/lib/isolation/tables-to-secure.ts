import { tableShape } from '../registry/table-shape';
import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry';
import type { TableToSecure } from './policy-state';

/**
 * Every table of a package, with its workspace column. Core's tables are not listed: they are
 * the platform's own (workspaces, users, memberships) and are read across workspaces by it.
 */
export function tablesToSecure(pkg: RegisteredPackage, config: DatabaseRegistryConfig): TableToSecure[] {
  return pkg.tables.flatMap((table) => {
    const { name, workspaceColumn } = tableShape(table, config);
    return workspaceColumn ? [{ table: name, workspaceColumn }] : [];
  });
}
