import type { SqlClient } from '../database/sql-client.ts';
import { ownerRepairSql, type OwnerProblem } from './package-ownership.ts';
import { preparePackageRoleSql } from './package-role-sql.ts';
import type { PackageRoles } from './package-roles.ts';
import { openPackageSession, type PackageSession } from './package-session.ts';

/**
 * Before a package's SQL runs: its role made ready (preparePackageRoleSql), what it declares and
 * another role owns given to that role (a database migrated before packages had roles), and its
 * session opened. Core's session is the migrator's own connection.
 */
export async function enterPackage(client: SqlClient, roles: PackageRoles, packageName: string, owners: readonly OwnerProblem[]): Promise<PackageSession> {
  const role = roles.roleOf(packageName);
  if (!role) return migratorSession(client);
  await client.exec(preparePackageRoleSql(role, roles.referenceable(packageName)));
  const own = owners.filter((p) => p.packageName === packageName);
  if (own.length) await client.exec(own.map(ownerRepairSql).join('\n'));
  return openPackageSession(client, role);
}

function migratorSession(client: SqlClient): PackageSession {
  return {
    role: 'migrator',
    transaction: (work) => client.transaction(work),
    exec: (sql) => client.exec(sql),
    query: (text, params) => client.query(text, params),
    close: () => Promise.resolve(),
  };
}
