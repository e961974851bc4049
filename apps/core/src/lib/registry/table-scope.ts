import type { DatabaseRegistryConfig, RuleContext } from '../../types/database-registry.ts';
import { CORE_PACKAGE_NAME } from './core-package.ts';

/**
 * Where a table belongs, for the rules that treat them differently:
 * - `workspace`: a package table holding workspace data (this package's or another's), row-level secured;
 * - `global`: a package table declared in its package's `globalTables` (no workspace's data);
 * - `core`: the platform's own (`ydtb_workspaces`, `ydtb_users`, …);
 * - `unknown`: no registered package declares it.
 */
export type TableScope = 'workspace' | 'global' | 'core' | 'unknown';

/** The tables this package declares global, by name. */
export function globalTableNames(context: Pick<RuleContext, 'registration'>): ReadonlySet<string> {
  return new Set(Object.keys(context.registration.globalTables ?? {}));
}

export function tableScopes(context: RuleContext, config: DatabaseRegistryConfig): (table: string) => TableScope {
  const own = new Set(context.tables.map((t) => t.config.name));
  const ownGlobal = globalTableNames(context);
  return (table) => {
    if (table === config.tenantTable) return 'core';
    if (own.has(table)) return ownGlobal.has(table) ? 'global' : 'workspace';
    const owner = context.owners.tables.get(table);
    if (owner === undefined) return 'unknown';
    if (owner === CORE_PACKAGE_NAME) return 'core';
    const declared = context.registered.get(owner)?.registration.globalTables ?? {};
    return Object.hasOwn(declared, table) ? 'global' : 'workspace';
  };
}
