import type { SqlClient } from '../database/sql-client.ts';
import { isPipelineFunction } from '../pipeline-tables.ts';
import { schemaFunctions } from '../isolation/function-security.ts';
import { describeKeyProblem, keyProblems, type KeyProblem } from '../isolation/key-isolation.ts';
import { rewriteRules, type RewriteRule } from '../isolation/rewrite-rules.ts';
import type { SecurityModel } from '../isolation/security-model.ts';
import type { SecurityState } from '../isolation/security-state.ts';
import { MigrationFailedError } from './migration-failed-error.ts';
import type { PackagePlan } from './migration-plan.ts';

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

/** What the side doors added since `known` are, in words; the unique indexes among them by name. */
export interface NewSideDoors {
  readonly message: string;
  readonly uniqueIndexes: readonly string[];
}

/**
 * The side doors the database has that `known` had not. `createdInThisTransaction` reads only the
 * keys the running transaction made; a statement run outside a transaction needs every key read.
 */
export async function newSideDoors(client: SqlClient, model: SecurityModel, known: SideDoors, { createdInThisTransaction = true } = {}): Promise<NewSideDoors | undefined> {
  const definers = (await schemaFunctions(client))
    .filter((f) => f.securityDefiner && !model.definers.has(f.name) && !isPipelineFunction(f.name) && !known.definers.has(f.signature))
    .map((f) => f.signature);
  const rules = (await rewriteRules(client, model.prefix)).map(ruleKey).filter((r) => !known.rules.has(r));
  const keys = (await keyProblems(client, model, { createdInThisTransaction })).filter((k) => !known.keys.has(keyEntry(k)[0]));
  if (definers.length === 0 && rules.length === 0 && keys.length === 0) return undefined;
  const problems = [
    ...definers.map((f) => `the SECURITY DEFINER function ${f} (make it SECURITY INVOKER, or declare it with the reason in the registration's securityDefinerFunctions)`),
    ...rules.map((r) => `the rewrite rule ${r} (use a SECURITY INVOKER trigger instead)`),
  ];
  const sideDoor = problems.length
    ? `it creates ${problems.join(' and ')}, which run${problems.length > 1 ? '' : 's'} with the owner's rights and can get around row-level security`
    : '';
  return {
    message: [sideDoor, ...keys.map(describeKeyProblem)].filter(Boolean).join('. '),
    uniqueIndexes: keys.flatMap((k) => (k.kind === 'unique' ? [k.index] : [])),
  };
}

/**
 * A SECURITY DEFINER function, or a rewrite rule's actions, run with the owner's rights, and an
 * owner that is a superuser bypasses row-level security; a key without workspace_id is checked
 * across workspaces. One a package's migrations add (functions: without declaring it) rolls the
 * package back, inside its transaction, before anything commits.
 */
export async function refuseNewSideDoors(
  tx: SqlClient,
  pkg: PackagePlan,
  model: SecurityModel,
  known: SideDoors,
  migrationIds = pkg.pending.map((m) => m.id),
  committed: readonly string[] = [],
): Promise<void> {
  const found = await newSideDoors(tx, model, known);
  if (!found) return;
  throw new MigrationFailedError(pkg.packageName, migrationIds.join(', '), { message: found.message }, committed);
}
