import type { DatabaseRegistryConfig, RegisteredPackage } from '../../types/database-registry.ts';
import type { PolicyProblem } from '../isolation/policy-state.ts';
import { tableShape } from '../registry/table-shape.ts';
import type { Catalog } from './catalog.ts';
import { isPipelineTable } from '../pipeline-tables.ts';

export type DriftKind =
  | 'missing-table'
  | 'missing-column'
  | 'missing-workspace-fk'
  | 'unregistered-table'
  /** A package table's row-level security or policy. */
  | 'isolation'
  /** The application role's privileges on a relation. */
  | 'privileges'
  /** The application role itself: attributes, memberships, ownership, schema rights. */
  | 'app-role'
  /** A function: SECURITY DEFINER not declared, or who may run it. */
  | 'function'
  /** A package view: missing, or reading with its owner's rights; or a view no package declares. */
  | 'view'
  /** A rewrite rule on a package relation (its actions run with the owner's rights). */
  | 'rewrite-rule'
  /** A live key of a package table that does not carry the workspace column. */
  | 'workspace-keys'
  /** The isolation probe saw another workspace's rows, or could not read a relation. */
  | 'isolation-probe'
  /** A security restore the migrating role was not allowed to make. */
  | 'restore-failed'
  /** The event triggers that record schema changes are missing, disabled or changed. */
  | 'schema-epoch'
  /** A package object owned by another role than its package's. */
  | 'owner'
  /** A workspace lookup's function missing or changed, or the lookup role owning, reading or being more than the pipeline made it. */
  | 'workspace-lookup'
  /*
   * The whole-database inventory (isolation/database-inventory.ts): what no package declares,
   * beyond the one schema the checks above read. Reported, never restored: each message names the fix.
   */
  /** A schema other than the one the registry migrates (PostgreSQL's own, extensions' and `public` aside). */
  | 'schema'
  /** A function or view in another schema. */
  | 'foreign-object'
  /** A trigger in another schema, on ydtb's own tables, or on a registry table running a function from elsewhere or an undeclared SECURITY DEFINER one. */
  | 'trigger'
  /** An event trigger other than the schema epoch's. */
  | 'event-trigger'
  /** A policy on ydtb's own tables, core tables, global tables or any prefixed table that is not a package table with a workspace. */
  | 'policy'
  /** A database- or role-level default (pg_db_role_setting) of a `ydtb.*` setting, or any default of the application role or a package role. */
  | 'role-setting'
  /** Default privileges giving the application role or PUBLIC anything here, or defined by a package role. */
  | 'default-privileges'
  /** An object owned by a package role that is not the role of the package declaring it, or that no package declares. */
  | 'ownership'
  /** A package role with SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB, REPLICATION or a membership. */
  | 'package-role'
  /** ydtb's own table granted to another role, owned by the application's or a package's role, or with row-level security on. */
  | 'own-table';

/** A difference between what the registry says and what the live database holds. */
export interface Drift {
  readonly kind: DriftKind;
  /** Absent for a table no package registers. */
  readonly packageName?: string;
  readonly table: string;
  readonly column?: string;
  readonly message: string;
}

/**
 * Checks the live catalog against the registry: every registered table and column exists,
 * every package table keeps its workspace foreign key, and no prefixed table is unaccounted for.
 */
export function findDrift(
  catalog: Catalog,
  core: RegisteredPackage,
  packages: readonly RegisteredPackage[],
  config: DatabaseRegistryConfig,
): Drift[] {
  // (table, column) pairs with a foreign key to the tenant key, looked up per table instead of scanning every key.
  const tenantKeys = new Set(
    catalog.foreignKeys
      .filter((fk) => fk.foreignTable === config.tenantTable && fk.foreignColumn === config.tenantKey)
      .map((fk) => `${fk.table}\u0000${fk.column}`),
  );
  const drift = [core, ...packages].flatMap((pkg) => tableDrift(catalog, tenantKeys, pkg, pkg !== core, config));
  const registered = new Set([core, ...packages].flatMap((pkg) => pkg.tables.map((t) => t.config.name)));
  for (const table of catalog.tables.keys()) {
    if (table.startsWith(config.tablePrefix) && !isPipelineTable(table) && !registered.has(table)) {
      drift.push({ kind: 'unregistered-table', table, message: `Table "${table}" exists but no registered package declares it.` });
    }
  }
  return drift;
}

function tableDrift(
  catalog: Catalog,
  tenantKeys: ReadonlySet<string>,
  pkg: RegisteredPackage,
  isPackage: boolean,
  config: DatabaseRegistryConfig,
): Drift[] {
  const packageName = pkg.registration.packageName;
  return pkg.tables.flatMap((inspected): Drift[] => {
    const table = inspected.config;
    const live = catalog.tables.get(table.name);
    if (!live) {
      return [{ kind: 'missing-table', packageName, table: table.name, message: `Table "${table.name}" of ${packageName} does not exist. Generate a migration for it: ydtb db generate ${packageName}.` }];
    }
    const drift: Drift[] = table.columns
      .filter((column) => !live.has(column.name))
      .map((column) => ({
        kind: 'missing-column' as const,
        packageName,
        table: table.name,
        column: column.name,
        message: `Column "${table.name}.${column.name}" of ${packageName} does not exist. Generate a migration for it: ydtb db generate ${packageName}.`,
      }));
    const workspaceColumn = tableShape(inspected, config).workspaceColumn ?? 'workspace_id';
    const global = Object.hasOwn(pkg.registration.globalTables ?? {}, table.name);
    if (isPackage && !global && !tenantKeys.has(`${table.name}\u0000${workspaceColumn}`)) {
      drift.push({
        kind: 'missing-workspace-fk',
        packageName,
        table: table.name,
        column: workspaceColumn,
        message: `Table "${table.name}" of ${packageName} has no foreign key from ${workspaceColumn} to ${config.tenantTable}.${config.tenantKey} in the database.`,
      });
    }
    return drift;
  });
}



const ISOLATION_PROBLEMS: Record<Exclude<PolicyProblem, 'missing-table'>, string> = {
  'rls-disabled': 'row-level security is disabled',
  'rls-not-forced': 'row-level security is not forced, so the table owner bypasses it',
  'policy-missing': `the workspace isolation policy is missing`,
  'policy-altered': 'the workspace isolation policy was altered',
  'extra-policy': 'another permissive policy widens what each workspace can see',
};

export function isolationDrift(packageName: string, table: string, problem: Exclude<PolicyProblem, 'missing-table'>): Drift {
  return {
    kind: 'isolation',
    packageName,
    table,
    message: `Table "${table}" of ${packageName}: ${ISOLATION_PROBLEMS[problem]}. Run ydtb db migrate to restore it.`,
  };
}
