import type { SqlClient } from '../database/sql-client.ts';
import { grantSql, isolationSql } from './policy-sql.ts';
import type { TablePolicyState } from './policy-state.ts';
import { packageRole } from '../package-roles/package-role.ts';
import { quoteIdent } from './quote-ident.ts';
import { READ_ONLY, SEQUENCE_PRIVILEGES, type SecurityModel } from './security-model.ts';

export interface PackageToSecure {
  readonly packageName: string;
  /** Its migrations just ran: secure and grant every object of the package. */
  readonly migrated: boolean;
  /** Its tables whose row-level security is broken (restored even when nothing ran). */
  readonly broken: ReadonlyMap<string, TablePolicyState>;
}

const EXISTING = `
SELECT c.relname AS name, c.relkind::text AS relkind
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND (c.relname = ANY($1::text[])
   OR (c.relkind = 'S' AND EXISTS (
        SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i') AND t.relname = ANY($2::text[]))))`;

/**
 * Inside the package's transaction, after its migrations: forced row-level security and the
 * workspace policy on its tenant tables, and exactly the application role's grants on its
 * tables, the sequences behind their serial and identity columns, its global tables and its
 * views (which read with the caller's rights). Objects no migration created are left to the
 * drift report. The application role must exist (PREPARE_APP_ROLE). Returns the tenant tables secured.
 */
export async function securePackage(tx: SqlClient, model: SecurityModel, pkg: PackageToSecure): Promise<string[]> {
  const tenant = [...model.tenantTables].filter(([, t]) => t.packageName === pkg.packageName);
  const tables = pkg.migrated ? tenant : tenant.filter(([name]) => pkg.broken.has(name));
  const globals = pkg.migrated ? ownedBy(model.globalTables, pkg.packageName) : [];
  const views = pkg.migrated ? ownedBy(model.views, pkg.packageName) : [];
  const sequences = pkg.migrated ? ownedBy(model.sequences, pkg.packageName) : [];
  if (tables.length + globals.length + views.length + sequences.length === 0) return [];
  const rows = await tx.query<{ name: string; relkind: string }>(EXISTING, [
    [...tables.map(([name]) => name), ...globals, ...views, ...sequences],
    pkg.migrated ? tables.map(([name]) => name) : [],
  ]);
  const existing = new Set(rows.filter((r) => r.relkind !== 'S').map((r) => r.name));
  const secured = tables.filter(([name]) => existing.has(name));
  const script = [
    ...secured.map(([name, { workspaceColumn, lookupColumns }]) =>
      isolationSql(name, workspaceColumn, packageRole(pkg.packageName), pkg.broken.get(name)?.extraPolicies, lookupColumns),
    ),
    ...globals.filter((name) => existing.has(name)).map((name) => grantSql('TABLE', name, READ_ONLY)),
    ...views.filter((name) => existing.has(name)).flatMap((name) => [`ALTER VIEW ${quoteIdent(name)} SET (security_invoker = true);`, grantSql('TABLE', name, READ_ONLY)]),
    ...rows.filter((r) => r.relkind === 'S').map((r) => grantSql('SEQUENCE', r.name, SEQUENCE_PRIVILEGES)),
  ];
  if (script.length > 0) await tx.exec(script.join('\n'));
  return secured.map(([name]) => name);
}

function ownedBy(names: ReadonlyMap<string, string>, packageName: string): string[] {
  return [...names].filter(([, owner]) => owner === packageName).map(([name]) => name);
}
