import type { SqlClient } from '../database/sql-client.ts';
import { isPipelineFunction } from '../pipeline-tables.ts';
import { APP_ROLE } from './isolation-settings.ts';
import type { SecurityModel } from './security-model.ts';

/** A function of the schema (not an extension's) as the security checks see it. */
export interface SchemaFunction {
  readonly name: string;
  /** `name(argtypes)`, what GRANT and ALTER FUNCTION take. */
  readonly signature: string;
  readonly securityDefiner: boolean;
  readonly publicExecute: boolean;
  readonly appExecute: boolean;
}

export type FunctionProblem =
  /** Runs with its owner's rights, bypassing row-level security, and no package declared it. */
  | { readonly kind: 'undeclared-definer'; readonly fn: SchemaFunction }
  /** PUBLIC may run it (PostgreSQL's default for new functions). */
  | { readonly kind: 'public-execute'; readonly fn: SchemaFunction }
  /** The application role may run it but should not, or should but may not. */
  | { readonly kind: 'app-execute'; readonly fn: SchemaFunction; readonly expected: boolean };

const FUNCTIONS = `
SELECT p.proname AS name, p.oid::regprocedure::text AS signature, p.prosecdef AS security_definer,
  EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS public_execute,
  coalesce((SELECT has_function_privilege(r.oid, p.oid, 'EXECUTE') FROM pg_roles r WHERE r.rolname = $1), false) AS app_execute
FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind IN ('f', 'p')
  -- An event trigger function can only be run by its event trigger: who may EXECUTE it opens nothing.
  AND p.prorettype <> 'event_trigger'::regtype
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 2`;

export async function schemaFunctions(client: SqlClient): Promise<SchemaFunction[]> {
  const rows = await client.query<{ name: string; signature: string; security_definer: boolean; public_execute: boolean; app_execute: boolean }>(FUNCTIONS, [APP_ROLE]);
  return rows.map((r) => ({ name: r.name, signature: r.signature, securityDefiner: r.security_definer, publicExecute: r.public_execute, appExecute: r.app_execute }));
}

/**
 * A SECURITY INVOKER function runs with its caller's rights, so row-level security applies: the
 * application may run it (column defaults and triggers call package functions). A SECURITY
 * DEFINER function bypasses it: only a declared one may be run by the application. PUBLIC may
 * run none of them.
 */
export function functionProblems(functions: readonly SchemaFunction[], model: SecurityModel): FunctionProblem[] {
  const problems: FunctionProblem[] = [];
  for (const fn of functions) {
    // ydtb's own function: no PUBLIC, no application role; its package-role grants are the pipeline's.
    if (isPipelineFunction(fn.name)) {
      if (fn.publicExecute) problems.push({ kind: 'public-execute', fn });
      else if (fn.appExecute) problems.push({ kind: 'app-execute', fn, expected: false });
      continue;
    }
    // A workspace lookup's function is the pipeline's: lookup-state.ts checks its owner and body.
    const declared = !fn.securityDefiner || model.definers.has(fn.name) || model.lookups.has(fn.name);
    if (!declared) problems.push({ kind: 'undeclared-definer', fn });
    if (fn.publicExecute) problems.push({ kind: 'public-execute', fn });
    else if (fn.appExecute !== declared) problems.push({ kind: 'app-execute', fn, expected: declared });
  }
  return problems;
}

export function describeFunctionProblem(problem: FunctionProblem): string {
  switch (problem.kind) {
    case 'undeclared-definer':
      return `Function ${problem.fn.signature} is SECURITY DEFINER: it runs with its owner's rights and bypasses row-level security, and no package declares it. Make it SECURITY INVOKER, or declare it with the reason in the package's securityDefinerFunctions.`;
    case 'public-execute':
      return `Function ${problem.fn.signature} may be run by PUBLIC. Run ydtb db migrate to restore it.`;
    case 'app-execute':
      return problem.expected
        ? `Function ${problem.fn.signature} may not be run by ${APP_ROLE}. Run ydtb db migrate to restore it.`
        : `Function ${problem.fn.signature} may be run by ${APP_ROLE}. Run ydtb db migrate to restore it.`;
  }
}
