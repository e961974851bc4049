import type { SqlClient } from '../database/sql-client.ts';
import { grantRedeemSql } from '../migrations/history-ticket.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';

/**
 * Makes a package's role ready for its migrations, idempotently, as the migrator: the role
 * exists with no attribute that reaches past its own objects (no SUPERUSER, BYPASSRLS,
 * CREATEROLE, CREATEDB, REPLICATION; changing the first two back needs a superuser, so they are
 * changed only when set; it has no password but while its package migrates), the migrator is a member (to give the package its objects and to drop
 * them), and the role may create objects in the schema, reference `referenced` (core's tables and
 * its dependencies' tables, for foreign keys) and redeem its history tickets. It is granted
 * nothing else: no other package's rows, none of ydtb's own tables, no database setting.
 */
export function preparePackageRoleSql(role: string, referenced: readonly string[]): string {
  const r = quoteIdent(role);
  const literal = `'${role.replace(/'/g, "''")}'`;
  return [
    `DO $$
BEGIN
  CREATE ROLE ${r} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;`,
    `DO $$
DECLARE
  a pg_roles%ROWTYPE;
BEGIN
  SELECT * INTO a FROM pg_roles WHERE rolname = ${literal};
  IF a.rolsuper OR a.rolbypassrls OR a.rolreplication THEN
    EXECUTE 'ALTER ROLE ${r.replace(/'/g, "''")} NOSUPERUSER NOBYPASSRLS NOREPLICATION';
  END IF;
  IF a.rolcreaterole OR a.rolcreatedb THEN
    EXECUTE 'ALTER ROLE ${r.replace(/'/g, "''")} NOCREATEROLE NOCREATEDB';
  END IF;
  -- PostgreSQL 16 gives a role's creator an ADMIN membership that neither inherits nor may SET ROLE.
  IF NOT pg_has_role(current_user, ${literal}, 'USAGE') THEN
    EXECUTE format('GRANT %I TO %I', ${literal}, current_user)
      || CASE WHEN current_setting('server_version_num')::int >= 160000 THEN ' WITH INHERIT TRUE, SET TRUE' ELSE '' END;
  END IF;
  EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', current_schema(), ${literal});
END
$$;`,
    ...(referenced.length ? [`GRANT REFERENCES ON TABLE ${referenced.map(quoteIdent).join(', ')} TO ${r};`] : []),
    grantRedeemSql(r),
  ].join('\n');
}

/** Prepares the role (preparePackageRoleSql) with REFERENCES on those of `referenceable` that exist yet. */
export async function preparePackageRole(client: SqlClient, role: string, referenceable: readonly string[]): Promise<void> {
  const existing = referenceable.length
    ? await client.query<{ name: string }>(
        `SELECT relname::text AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') AND relname = ANY($1::text[]) ORDER BY 1`,
        [referenceable],
      )
    : [];
  await client.exec(preparePackageRoleSql(role, existing.map((r) => r.name)));
}
