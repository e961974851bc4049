import { isPipelineFunction } from '../pipeline-tables.ts';
import { APP_ROLE } from './isolation-settings.ts';
import { grantSql } from './policy-sql.ts';
import { quoteIdent } from './quote-ident.ts';
import type { SecurityModel } from './security-model.ts';
import type { SecurityState } from './security-state.ts';
import { lookupRepairSql } from './lookup-state.ts';

/**
 * The statements that bring the application role, its grants, functions and views back to what
 * the registry expects (package tables' policies are restored with their package). Empty when
 * there is nothing a migrate can restore.
 */
export function securityRepairSql(state: SecurityState, model: SecurityModel): string[] {
  const statements: string[] = [];
  const attributes = state.role.flatMap((p) => (p.kind === 'attribute' ? [`NO${p.attribute}`] : []));
  if (attributes.length) statements.push(`ALTER ROLE ${APP_ROLE} ${attributes.join(' ')};`);
  for (const p of state.role) {
    if (p.kind === 'member-of') statements.push(`REVOKE ${quoteIdent(p.role)} FROM ${APP_ROLE};`);
  }
  // Gives whatever the role owns in this database back to the migrating role.
  if (state.role.some((p) => p.kind === 'owns')) statements.push(`REASSIGN OWNED BY ${APP_ROLE} TO CURRENT_USER;`);
  if (state.role.some((p) => p.kind === 'schema-create')) {
    statements.push(`DO $$ BEGIN EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC, ${APP_ROLE}', current_schema()); END $$;`);
  }
  for (const v of state.views) {
    if (v.kind === 'not-security-invoker') statements.push(`ALTER VIEW ${quoteIdent(v.view)} SET (security_invoker = true);`);
  }
  for (const p of state.privileges) {
    // PUBLIC's grants on another's relation are the host's business; on a prefixed one they reach the app.
    statements.push(grantSql(p.kind === 'sequence' ? 'SEQUENCE' : 'TABLE', p.relation, p.expected, p.relation.startsWith(model.prefix)));
  }
  const functions = new Map(state.functions.map((f) => [f.fn.signature, f]));
  for (const [signature, problem] of functions) {
    const mayRun = !isPipelineFunction(problem.fn.name) && (!problem.fn.securityDefiner || model.definers.has(problem.fn.name) || model.lookups.has(problem.fn.name));
    statements.push(`REVOKE EXECUTE ON ROUTINE ${signature} FROM PUBLIC, ${APP_ROLE};`);
    if (mayRun) statements.push(`GRANT EXECUTE ON ROUTINE ${signature} TO ${APP_ROLE};`);
  }
  statements.push(...lookupRepairSql(state.lookups, model));
  return statements;
}
