import type postgres from 'postgres';
import { APP_ROLE } from '@ydtb/core';

/** The host logged in as a role row-level security cannot hold, or that cannot become the application role. */
export class UnsafeLoginRoleError extends Error {
  readonly kind = 'unsafe-login-role' as const;

  constructor(
    readonly role: string,
    readonly reason: 'superuser' | 'bypassrls' | 'not-member' | 'no-app-role',
  ) {
    const why = {
      superuser: `is a superuser, which row-level security never binds`,
      bypassrls: `has BYPASSRLS, which skips row-level security`,
      'not-member': `is not a member of ${APP_ROLE}, so withWorkspace cannot switch to it`,
      'no-app-role': `cannot switch to ${APP_ROLE}: the role does not exist yet (\`ydtb db migrate\` creates it)`,
    }[reason];
    super(
      `The host logs in as "${role}", which ${why}. Log in as a role of its own granted ${APP_ROLE}: ` +
        `CREATE ROLE web LOGIN PASSWORD '…'; GRANT ${APP_ROLE} TO web; and put it in DATABASE_URL.`,
    );
    this.name = 'UnsafeLoginRoleError';
  }
}

/** Refuses to serve as a role that would see every workspace's rows, or that cannot become ydtb_app. */
export async function checkLoginRole(sql: postgres.Sql): Promise<string> {
  const [role] = await sql<{ name: string; superuser: boolean; bypassrls: boolean; appRole: boolean; member: boolean }[]>`
    SELECT rolname AS name, rolsuper AS superuser, rolbypassrls AS bypassrls,
           EXISTS (SELECT FROM pg_roles WHERE rolname = ${APP_ROLE}) AS "appRole",
           CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = ${APP_ROLE})
                THEN pg_has_role(current_user, ${APP_ROLE}, 'MEMBER') ELSE false END AS member
      FROM pg_roles WHERE rolname = current_user`;
  const { name, superuser, bypassrls, appRole, member } = role!;
  if (superuser) throw new UnsafeLoginRoleError(name, 'superuser');
  if (bypassrls) throw new UnsafeLoginRoleError(name, 'bypassrls');
  if (!appRole) throw new UnsafeLoginRoleError(name, 'no-app-role');
  if (!member) throw new UnsafeLoginRoleError(name, 'not-member');
  return name;
}
