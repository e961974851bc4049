import type { RuleContext, SchemaRule, Violation } from '../../types/database-registry.ts';

type Where = Pick<Violation, 'table' | 'column'>;

/** Builds a violation of `rule` for the package being checked, at the rule's severity. */
export function ruleViolation(
  rule: SchemaRule & { readonly hint: string },
  context: RuleContext,
  message: string,
  where: Where = {},
  hint: string = rule.hint,
): Violation {
  return {
    rule: rule.id,
    severity: rule.severity,
    packageName: context.registration.packageName,
    ...where,
    message,
    hint,
  };
}
