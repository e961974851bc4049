import { grantRedeemSql } from '../migrations/history-ticket';
import { quoteIdent } from '../isolation/quote-ident';

/**
 * Makes a package's role ready for its migrations, idempotently, as the migrator: the role
 * exists with no attribute that reaches past its own objects (no SUPERUSER, BYPASSRLS,
 * CREATEROLE, CREATEDB, REPLICATION; changing the first two back needs a superuser, so they are
 * changed only when set; it has no password but while its package migrates), the migrator is a member (to give the package its objects and to drop
 * them), and the role may create objects in the schema, reference `referenced` (core's tables and
 * its dependencies' tables, for foreign keys: those that exist yet) and redeem its history tickets. It is granted
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
    // Those of them that exist yet (a dependency's tables may come later in the same run).
    ...(referenced.length
      ? [
          `DO $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
             AND relname = ANY(ARRAY[${referenced.map((name) => `'${name.replace(/'/g, "''")}'`).join(', ')}]::text[]) ORDER BY 1 LOOP
    EXECUTE format('GRANT REFERENCES ON TABLE %I TO %I', t, ${literal});
  END LOOP;
END
$$;`,
        ]
      : []),
    grantRedeemSql(r),
  ].join('\n');
}

