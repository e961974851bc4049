import { APP_ROLE, MIGRATING_SETTING, MIGRATION_POLICY_NAME, POLICY_NAME, WORKSPACE_SETTING, LOOKUP_POLICY_NAME, LOOKUP_ROLE } from './isolation-settings.ts';
import { quoteIdent } from './quote-ident.ts';
import { TABLE_PRIVILEGES } from './security-model.ts';

/**
 * The tenant predicate. An unset or reset setting reads as NULL (NULLIF covers the empty
 * string a reset custom setting leaves), and `x = NULL` is never true: no workspace, no rows.
 */
export function workspacePredicate(column: string): string {
  return `(${quoteIdent(column)} = NULLIF(current_setting('${WORKSPACE_SETTING}', true), ''))`;
}

/**
 * The migration predicate: true only while the package's own migration session says it migrates
 * (MIGRATING_SETTING); the policy holding it applies to the package's role alone.
 */
export function migrationPredicate(role: string): string {
  return `(current_setting('${MIGRATING_SETTING}', true) = '${role.replace(/'/g, "''")}')`;
}

/**
 * Creates the application role and the lookup role once per cluster (concurrent migrators may
 * race to create them), makes the migrator a member of each (it proves isolation as the
 * application role, SET ROLE needing membership, and gives the lookup functions it creates to the
 * lookup role, ALTER … OWNER needing it), and lets both reach the schema. The lookup role owns the
 * workspace lookup functions and reads only the columns lookups are granted. One DO block: run
 * once before securing a package's tables.
 */
export const PREPARE_APP_ROLE = `DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['${APP_ROLE}', '${LOOKUP_ROLE}'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
    IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r, current_user);
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), r);
  END LOOP;
END
$$;`;

/**
 * Row-level security for one package table, enabled and forced (so the owner is bound too),
 * with one policy for every command: USING filters what a statement sees, updates and deletes,
 * WITH CHECK refuses writing a row into another workspace. A second policy applies to the
 * package's role alone and only while its migration session says so, so a data migration sees
 * every row of its own tables; a view, function or trigger the role owns never does. Idempotent.
 */
export function isolationSql(table: string, workspaceColumn: string, role: string, extraPolicies: readonly string[] = [], lookupColumns: readonly string[] = []): string {
  const t = quoteIdent(table);
  const predicate = workspacePredicate(workspaceColumn);
  const migrating = migrationPredicate(role);
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    // Permissive policies are OR-ed with ours: any other one widens what a workspace sees.
    ...extraPolicies.map((policy) => `DROP POLICY IF EXISTS ${quoteIdent(policy)} ON ${t};`),
    `DROP POLICY IF EXISTS ${quoteIdent(POLICY_NAME)} ON ${t};`,
    `CREATE POLICY ${quoteIdent(POLICY_NAME)} ON ${t} AS PERMISSIVE FOR ALL TO PUBLIC\n  USING ${predicate}\n  WITH CHECK ${predicate};`,
    `DROP POLICY IF EXISTS ${quoteIdent(MIGRATION_POLICY_NAME)} ON ${t};`,
    `CREATE POLICY ${quoteIdent(MIGRATION_POLICY_NAME)} ON ${t} AS PERMISSIVE FOR ALL TO ${quoteIdent(role)}\n  USING ${migrating}\n  WITH CHECK ${migrating};`,
    grantSql('TABLE', table, TABLE_PRIVILEGES),
    ...(lookupColumns.length ? lookupSql(table, workspaceColumn, lookupColumns) : []),
  ].join('\n');
}

/**
 * What the workspace lookups of a table need from it: the lookup role may read the key columns
 * and the workspace column (no other), in every workspace, through a policy for it alone that
 * allows SELECT and nothing else. Run by the table's owner, with the rest of its security.
 */
function lookupSql(table: string, workspaceColumn: string, lookupColumns: readonly string[]): string[] {
  const t = quoteIdent(table);
  const columns = [...new Set([...lookupColumns, workspaceColumn])].map(quoteIdent).join(', ');
  return [
    `REVOKE ALL ON TABLE ${t} FROM ${LOOKUP_ROLE};`,
    `GRANT SELECT (${columns}) ON TABLE ${t} TO ${LOOKUP_ROLE};`,
    `DROP POLICY IF EXISTS ${quoteIdent(LOOKUP_POLICY_NAME)} ON ${t};`,
    `CREATE POLICY ${quoteIdent(LOOKUP_POLICY_NAME)} ON ${t} AS PERMISSIVE FOR SELECT TO ${LOOKUP_ROLE}\n  USING (true);`,
  ];
}

/**
 * Exactly `privileges` for the application role on a relation: whatever it held before (column
 * grants, TRUNCATE, PUBLIC's grants on a prefixed relation) is revoked first. Idempotent.
 */
export function grantSql(kind: 'TABLE' | 'SEQUENCE', relation: string, privileges: readonly string[], alsoFromPublic = true): string {
  const r = quoteIdent(relation);
  const revoke = `REVOKE ALL ON ${kind} ${r} FROM ${alsoFromPublic ? 'PUBLIC, ' : ''}${APP_ROLE};`;
  return privileges.length ? `${revoke}\nGRANT ${privileges.join(', ')} ON ${kind} ${r} TO ${APP_ROLE};` : revoke;
}
