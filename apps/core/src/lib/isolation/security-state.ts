import type { SqlClient } from '../database/sql-client.ts';
import { privilegeProblems, type PrivilegeProblem } from './app-privileges.ts';
import { functionProblems, schemaFunctions, type FunctionProblem } from './function-security.ts';
import { policyProblems, type TablePolicyState, type TableToSecure } from './policy-state.ts';
import { keyProblems, type KeyProblem } from './key-isolation.ts';
import { ownerProblems, type OwnerProblem } from '../package-roles/package-ownership.ts';
import { rewriteRules, type RewriteRule } from './rewrite-rules.ts';
import { roleProblems, type RoleProblem } from './role-hygiene.ts';
import { packageRole } from '../package-roles/package-role.ts';
import type { SecurityModel } from './security-model.ts';
import { viewProblems, type ViewProblem } from './view-security.ts';
import { lookupProblems, type LookupProblem } from './lookup-state.ts';

/** Everything about the database's security that differs from what the registry expects. */
export interface SecurityState {
  /** Package tables whose row-level security is not as the pipeline sets it, by table. */
  readonly policies: ReadonlyMap<string, TablePolicyState>;
  readonly privileges: readonly PrivilegeProblem[];
  readonly role: readonly RoleProblem[];
  readonly functions: readonly FunctionProblem[];
  readonly views: readonly ViewProblem[];
  /** Rewrite rules on package relations: never restored, always reported. */
  readonly rules: readonly RewriteRule[];
  /** Keys of package tables that PostgreSQL enforces across workspaces: never restored, always reported. */
  readonly keys: readonly KeyProblem[];
  /** Package objects not owned by their package's role: given to it by the package's next migrate. */
  readonly owners: readonly OwnerProblem[];
  /** The workspace lookups' functions, and what the lookup role is and may read, unlike the pipeline's. */
  readonly lookups: readonly LookupProblem[];
}

function tenantTables(model: SecurityModel): TableToSecure[] {
  return [...model.tenantTables].map(([table, { workspaceColumn, packageName, lookupColumns }]) => ({
    table,
    workspaceColumn,
    role: packageRole(packageName),
    ...(lookupColumns ? { lookupColumns } : {}),
  }));
}

/** Reads the live security of the database against the model: policies, grants, the role, functions, views. */
export async function readSecurityState(client: SqlClient, model: SecurityModel): Promise<SecurityState> {
  const { prefix } = model;
  return {
    policies: await policyProblems(client, tenantTables(model)),
    privileges: await privilegeProblems(client, model, prefix),
    role: await roleProblems(client),
    functions: functionProblems(await schemaFunctions(client), model),
    views: await viewProblems(client, model, prefix),
    rules: await rewriteRules(client, prefix),
    keys: await keyProblems(client, model),
    owners: await ownerProblems(client, model),
    lookups: await lookupProblems(client, model),
  };
}

/** True when nothing but what no migrate can fix (missing tables, undeclared definers, unknown views) is wrong. */
export function isSecure(state: SecurityState): boolean {
  return (
    [...state.policies.values()].every((p) => p.problem === 'missing-table') &&
    state.privileges.length === 0 &&
    state.role.length === 0 &&
    state.owners.length === 0 &&
    state.lookups.length === 0 &&
    state.functions.every((f) => f.kind === 'undeclared-definer') &&
    state.views.every((v) => v.kind !== 'not-security-invoker')
  );
}
