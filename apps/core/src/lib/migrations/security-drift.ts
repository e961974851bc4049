import { describeFunctionProblem } from '../isolation/function-security.ts';
import { describeProbeFinding, type ProbeFinding } from '../isolation/isolation-probe.ts';
import { APP_ROLE } from '../isolation/isolation-settings.ts';
import { describeRoleProblem } from '../isolation/role-hygiene.ts';
import { packageOf, type SecurityModel } from '../isolation/security-model.ts';
import { describeRewriteRule } from '../isolation/rewrite-rules.ts';
import { describeKeyProblem } from '../isolation/key-isolation.ts';
import { describeOwnerProblem } from '../package-roles/package-ownership.ts';
import type { SecurityState } from '../isolation/security-state.ts';
import { describeViewProblem } from '../isolation/view-security.ts';
import { isolationDrift, type Drift } from './drift.ts';
import { describeLookupProblem } from '../isolation/lookup-state.ts';

const RESTORE = 'Run ydtb db migrate to restore it.';

/** The security state as drift entries, one per problem, each naming what is wrong and the fix. */
export function securityDrift(state: SecurityState, model: SecurityModel): Drift[] {
  const drift: Drift[] = [];
  for (const [table, { problem }] of state.policies) {
    const packageName = model.tenantTables.get(table)?.packageName;
    // A missing table is already reported by the catalog check.
    if (problem !== 'missing-table' && packageName) drift.push(isolationDrift(packageName, table, problem));
  }
  for (const p of state.privileges) {
    const changes = [
      ...(p.missing.length ? [`lacks ${p.missing.join(', ')}`] : []),
      ...(p.extra.length ? [`holds ${p.extra.join(', ')}`] : []),
    ].join(' and ');
    const whose = p.packageName ? ` of ${p.packageName}` : ' (not a package relation: off limits to it)';
    drift.push({
      kind: 'privileges',
      ...(p.packageName ? { packageName: p.packageName } : {}),
      table: p.relation,
      message: `The application role ${APP_ROLE} ${changes} on ${p.kind} "${p.relation}"${whose}; it must hold ${p.expected.length ? p.expected.join(', ') : 'nothing'}. ${RESTORE}`,
    });
  }
  for (const p of state.role) {
    drift.push({ kind: 'app-role', table: APP_ROLE, message: `${capitalise(describeRoleProblem(p))}. ${RESTORE}` });
  }
  for (const p of state.functions) {
    const packageName = model.definers.get(p.fn.name);
    drift.push({ kind: 'function', ...(packageName ? { packageName } : {}), table: p.fn.signature, message: describeFunctionProblem(p) });
  }
  for (const p of state.views) {
    drift.push({ kind: 'view', ...('packageName' in p ? { packageName: p.packageName } : {}), table: p.view, message: describeViewProblem(p) });
  }
  for (const rule of state.rules) {
    drift.push({ kind: 'rewrite-rule', ...packageOfRelation(model, rule.relation), table: rule.relation, message: describeRewriteRule(rule) });
  }
  for (const key of state.keys) {
    drift.push({ kind: 'workspace-keys', ...packageOfRelation(model, key.table), table: key.table, message: describeKeyProblem(key) });
  }
  for (const p of state.lookups) {
    drift.push({ kind: 'workspace-lookup', ...(p.packageName ? { packageName: p.packageName } : {}), table: p.object, message: describeLookupProblem(p) });
  }
  for (const p of state.owners) {
    drift.push({ kind: 'owner', packageName: p.packageName, table: p.object, message: describeOwnerProblem(p) });
  }
  return drift;
}

function packageOfRelation(model: SecurityModel, relation: string): { packageName?: string } {
  const packageName = packageOf(model, relation);
  return packageName ? { packageName } : {};
}

export function probeDrift(findings: readonly ProbeFinding[]): Drift[] {
  return findings.map((f) => ({ kind: 'isolation-probe', packageName: f.packageName, table: f.relation, message: describeProbeFinding(f) }));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
