import { grantRedeemSql } from '../migrations/history-ticket.ts';

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
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const r = literal(role);
  // One DO block: PL/pgSQL compiles each block it runs, and this runs once for every package migrated.
  return `DO $$
DECLARE
  a pg_roles%ROWTYPE;
  tables text;
BEGIN
  BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', ${r});
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
  END;
  SELECT * INTO a FROM pg_roles WHERE rolname = ${r};
  IF a.rolsuper OR a.rolbypassrls OR a.rolreplication THEN
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS NOREPLICATION', ${r});
  END IF;
  IF a.rolcreaterole OR a.rolcreatedb THEN
    EXECUTE format('ALTER ROLE %I NOCREATEROLE NOCREATEDB', ${r});
  END IF;
  -- PostgreSQL 16 gives a role's creator an ADMIN membership that neither inherits nor may SET ROLE.
  IF NOT pg_has_role(current_user, ${r}, 'USAGE') THEN
    EXECUTE format('GRANT %I TO %I', ${r}, current_user)
      || CASE WHEN current_setting('server_version_num')::int >= 160000 THEN ' WITH INHERIT TRUE, SET TRUE' ELSE '' END;
  END IF;
  EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', current_schema(), ${r});
  -- Those of the referenceable tables that exist yet (a dependency's may come later in the run).
  SELECT string_agg(quote_ident(relname), ', ' ORDER BY relname) INTO tables FROM pg_class
   WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
     AND relname = ANY(ARRAY[${referenced.map(literal).join(', ')}]::text[]);
  IF tables IS NOT NULL THEN
    EXECUTE format('GRANT REFERENCES ON TABLE %s TO %I', tables, ${r});
  END IF;
  EXECUTE format('${grantRedeemSql('%I').replace(/;$/, '').replace(/'/g, "''")}', ${r});
END
$$;`;
}
