import type { SqlClient } from '../database/sql-client.ts';

/** A rewrite rule on a relation of the schema (a view's own `_RETURN` rule is not one). */
export interface RewriteRule {
  readonly relation: string;
  readonly rule: string;
}

const RULES = `
SELECT c.relname AS relation, r.rulename AS rule
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = current_schema()::regnamespace AND r.rulename <> '_RETURN'
ORDER BY 1, 2`;

/**
 * A rule's actions run with the rights of its table's owner, and an owner that is a superuser
 * bypasses row-level security: a rule on a package table is a way around the policy.
 */
export async function rewriteRules(client: SqlClient, prefix: string): Promise<RewriteRule[]> {
  return (await client.query<RewriteRule>(RULES)).filter((r) => r.relation.startsWith(prefix));
}

export function describeRewriteRule(rule: RewriteRule): string {
  return `Table "${rule.relation}" has the rewrite rule "${rule.rule}": a rule's actions run with the table owner's rights and can get around row-level security. Drop it (DROP RULE "${rule.rule}" ON "${rule.relation}") and use a SECURITY INVOKER trigger instead.`;
}
