import { APP_ROLE, POLICY_NAME, WORKSPACE_SETTING } from './isolation-settings';
import { quoteIdent } from './quote-ident';

/**
 * The tenant predicate. An unset or reset setting reads as NULL (NULLIF covers the empty
 * string a reset custom setting leaves), and `x = NULL` is never true: no workspace, no rows.
 */
export function workspacePredicate(column: string): string {
  return `(${quoteIdent(column)} = NULLIF(current_setting('${WORKSPACE_SETTING}', true), ''))`;
}

/**
 * Creates the application role once per cluster (concurrent migrators may race to create it)
 * and lets it reach the schema; run once before securing a package's tables.
 */
export const PREPARE_APP_ROLE = `DO $$
BEGIN
  CREATE ROLE ${APP_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
GRANT USAGE ON SCHEMA public TO ${APP_ROLE};`;

/**
 * Row-level security for one package table, enabled and forced (so the owner is bound too),
 * with one policy for every command: USING filters what a statement sees, updates and deletes,
 * WITH CHECK refuses writing a row into another workspace. Idempotent.
 */
export function isolationSql(table: string, workspaceColumn: string): string {
  const t = quoteIdent(table);
  const predicate = workspacePredicate(workspaceColumn);
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `DROP POLICY IF EXISTS ${quoteIdent(POLICY_NAME)} ON ${t};`,
    `CREATE POLICY ${quoteIdent(POLICY_NAME)} ON ${t} AS PERMISSIVE FOR ALL TO PUBLIC\n  USING ${predicate}\n  WITH CHECK ${predicate};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${APP_ROLE};`,
  ].join('\n');
}
