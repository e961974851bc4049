import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry.ts';
import { tableShape } from '../registry/table-shape.ts';
import { packageRole } from '../package-roles/package-role.ts';
import type { TableToSecure } from './policy-state.ts';
import { lookupFunctionName } from './lookup-name.ts';

/** A package table bound by the workspace policy. */
export interface TenantTable {
  readonly packageName: string;
  readonly workspaceColumn: string;
  /** Key columns of the package's workspace lookups on this table, if any. */
  readonly lookupColumns?: readonly string[];
}

/** A declared workspace lookup, as the pipeline creates and verifies its function. */
export interface LookupModel {
  readonly packageName: string;
  readonly lookup: string;
  readonly table: string;
  readonly column: string;
  readonly workspaceColumn: string;
}

/**
 * What the registry expects of the database's security, derived from the registered packages:
 * which relations the application role may use and how, which views must read with the caller's
 * rights, which SECURITY DEFINER functions were declared. Everything not listed here is off
 * limits to the application role.
 */
export interface SecurityModel {
  /** Package tables with a workspace column: forced row-level security, full DML for the app. */
  readonly tenantTables: ReadonlyMap<string, TenantTable>;
  /** Declared global tables (no workspace): the app may only read them. Name → package. */
  readonly globalTables: ReadonlyMap<string, string>;
  /** Package views: security_invoker, readable by the app. Name → package. */
  readonly views: ReadonlyMap<string, string>;
  /** Sequences a package schema declares (pgSequence): usable by the app. Name → package. */
  readonly sequences: ReadonlyMap<string, string>;
  /** Enum types a package schema declares (pgEnum): name → package. */
  readonly types: ReadonlyMap<string, string>;
  /** Declared SECURITY DEFINER functions: name → package. */
  readonly definers: ReadonlyMap<string, string>;
  /** Workspace lookup functions (SECURITY DEFINER, owned by the lookup role): function name → lookup. */
  readonly lookups: ReadonlyMap<string, LookupModel>;
  /** The platform prefix: relations carrying it are the registry's to check. */
  readonly prefix: string;
}

/**
 * The packages' tables bound by the workspace policy, with their workspace column: every table
 * with one that is not declared global. Core's tables are the platform's (workspaces, users,
 * memberships): no policy, and the application role gets no rights on them.
 */
export function tenantTablesOf(pkg: RegisteredPackage, config: DatabaseRegistryConfig): TableToSecure[] {
  const declaredGlobal = pkg.registration.globalTables ?? {};
  const lookups = Object.values(pkg.registration.workspaceLookups ?? {});
  return pkg.tables.flatMap((table) => {
    const { name, workspaceColumn } = tableShape(table, config);
    if (!workspaceColumn || Object.hasOwn(declaredGlobal, name)) return [];
    const lookupColumns = [...new Set(lookups.filter((l) => l.table === name).map((l) => l.column))];
    return [{ table: name, workspaceColumn, role: packageRole(pkg.registration.packageName), ...(lookupColumns.length ? { lookupColumns } : {}) }];
  });
}

export function securityModel(packages: readonly RegisteredPackage[], config: DatabaseRegistryConfig): SecurityModel {
  const tenantTables = new Map<string, TenantTable>();
  const globalTables = new Map<string, string>();
  const views = new Map<string, string>();
  const sequences = new Map<string, string>();
  const types = new Map<string, string>();
  const definers = new Map<string, string>();
  const lookups = new Map<string, LookupModel>();
  for (const pkg of packages) {
    const { packageName, globalTables: declaredGlobal = {}, securityDefinerFunctions = {} } = pkg.registration;
    for (const { table, workspaceColumn, lookupColumns } of tenantTablesOf(pkg, config)) {
      tenantTables.set(table, { packageName, workspaceColumn, ...(lookupColumns ? { lookupColumns } : {}) });
    }
    for (const [lookup, { table, column }] of Object.entries(pkg.registration.workspaceLookups ?? {})) {
      const tenant = tenantTables.get(table);
      // A lookup on a table that is not the package's workspace table is refused at registration.
      if (tenant?.packageName === packageName) lookups.set(lookupFunctionName(packageName, lookup), { packageName, lookup, table, column, workspaceColumn: tenant.workspaceColumn });
    }
    for (const name of Object.keys(declaredGlobal)) globalTables.set(name, packageName);
    for (const view of pkg.views) if (!view.materialized) views.set(view.name, packageName);
    for (const object of pkg.objects) {
      if (object.kind === 'sequence') sequences.set(object.name, packageName);
      else if (object.kind === 'enum') types.set(object.name, packageName);
    }
    for (const name of Object.keys(securityDefinerFunctions)) definers.set(name, packageName);
  }
  return { tenantTables, globalTables, views, sequences, types, definers, lookups, prefix: config.tablePrefix };
}

/** The privileges the application role must hold on a relation, exactly; none for anything unlisted. */
export function expectedPrivileges(model: SecurityModel, relation: { readonly name: string; readonly kind: RelationKind; readonly ownedBy?: string | null }): readonly string[] {
  switch (relation.kind) {
    case 'table':
      if (model.tenantTables.has(relation.name)) return TABLE_PRIVILEGES;
      return model.globalTables.has(relation.name) ? READ_ONLY : NONE;
    case 'view':
      return model.views.has(relation.name) ? READ_ONLY : NONE;
    case 'sequence':
      // A serial or identity column's sequence is used by inserts into its table.
      if (relation.ownedBy && model.tenantTables.has(relation.ownedBy)) return SEQUENCE_PRIVILEGES;
      return model.sequences.has(relation.name) ? SEQUENCE_PRIVILEGES : NONE;
    default:
      return NONE;
  }
}

export type RelationKind = 'table' | 'view' | 'materialized view' | 'sequence' | 'foreign table';

/** No TRUNCATE (it ignores row-level security), no REFERENCES, no TRIGGER. */
export const TABLE_PRIVILEGES: readonly string[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
export const READ_ONLY: readonly string[] = ['SELECT'];
/** nextval() needs USAGE; currval() and reading the sequence need SELECT. No setval() (UPDATE). */
export const SEQUENCE_PRIVILEGES: readonly string[] = ['USAGE', 'SELECT'];
const NONE: readonly string[] = [];

/** Which package a relation belongs to, if any. */
export function packageOf(model: SecurityModel, name: string): string | undefined {
  return model.tenantTables.get(name)?.packageName ?? model.globalTables.get(name) ?? model.views.get(name) ?? model.sequences.get(name);
}
