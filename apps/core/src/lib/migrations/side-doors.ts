import type { SqlClient } from '../database/sql-client';
import { schemaFunctions } from '../isolation/function-security';
import { describeKeyProblem, keyProblems, type KeyProblem } from '../isolation/key-isolation';
import { rewriteRules, type RewriteRule } from '../isolation/rewrite-rules';
import type { SecurityModel } from '../isolation/security-model';
import type { SecurityState } from '../isolation/security-state';
import { MigrationFailedError } from './migration-failed-error';
import type { PackagePlan } from './migration-plan';

/** Ways around row-level security a migration could add: undeclared SECURITY DEFINER functions, rewrite rules, keys that leave the workspace. */
export interface SideDoors {
  /** Function signatures. */
  readonly definers: ReadonlySet<string>;
  /** `"table"."rule"`. */
  readonly rules: ReadonlySet<string>;
  /** `table.key` → what is wrong with it. */
  readonly keys: ReadonlyMap<string, string>;
}

const ruleKey = (r: RewriteRule) => `"${r.relation}"."${r.rule}"`;
const keyEntry = (k: KeyProblem): [string, string] => [`${k.table}.${k.kind === 'unique' ? k.index : k.constraint}`, describeKeyProblem(k)];

/** The side doors the database had before the run, from the security state already read. */
export function knownSideDoors(state: SecurityState): SideDoors {
  return {
    definers: new Set(state.functions.flatMap((p) => (p.kind === 'undeclared-definer' ? [p.fn.signature] : []))),
    rules: new Set(state.rules.map(ruleKey)),
    keys: new Map(state.keys.map(keyEntry)),
  };
}

async function sideDoorsOf(tx: SqlClient, model: SecurityModel): Promise<SideDoors> {
  return {
    definers: new Set((await schemaFunctions(tx)).filter((f) => f.securityDefiner && !model.definers.has(f.name)).map((f) => f.signature)),
    rules: new Set((await rewriteRules(tx, model.prefix)).map(ruleKey)),
    keys: new Map((await keyProblems(tx, model, { createdInThisTransaction: true })).map(keyEntry)),
  };
}

/**
 * A SECURITY DEFINER function, or a rewrite rule's actions, run with the owner's rights, and an
 * owner that is a superuser bypasses row-level security; a key without workspace_id is checked
 * across workspaces. One a package's migrations add (functions: without declaring it) rolls the
 * package back, inside its transaction, before anything commits.
 */
export async function refuseNewSideDoors(tx: SqlClient, pkg: PackagePlan, model: SecurityModel, known: SideDoors): Promise<void> {
  const after = await sideDoorsOf(tx, model);
  const definers = [...after.definers].filter((f) => !known.definers.has(f));
  const rules = [...after.rules].filter((r) => !known.rules.has(r));
  const keys = [...after.keys].filter(([key]) => !known.keys.has(key)).map(([, description]) => description);
  if (definers.length === 0 && rules.length === 0 && keys.length === 0) return;
  const migration = pkg.pending.length === 1 ? pkg.pending[0]!.id : pkg.pending.map((m) => m.id).join(', ');
  const problems = [
    ...definers.map((f) => `the SECURITY DEFINER function ${f} (make it SECURITY INVOKER, or declare it with the reason in the registration's securityDefinerFunctions)`),
    ...rules.map((r) => `the rewrite rule ${r} (use a SECURITY INVOKER trigger instead)`),
  ];
  const sideDoor = problems.length
    ? `it creates ${problems.join(' and ')}, which run${problems.length > 1 ? '' : 's'} with the owner's rights and can get around row-level security`
    : '';
  throw new MigrationFailedError(pkg.packageName, migration, { message: [sideDoor, ...keys].filter(Boolean).join('. ') });
}
