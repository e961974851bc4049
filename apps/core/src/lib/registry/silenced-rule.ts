import type { SchemaRule, Violation } from '../../types/database-registry.ts';

/**
 * Stands in for a rule that a test or an operator turned off on purpose. The reason is kept
 * so it shows up where the rule is listed: `container.rebind(PrefixRule).toConstantValue(new SilencedRule(PrefixRule.id, 'why'))`.
 */
export class SilencedRule implements SchemaRule {
  readonly severity = 'warning' as const;
  readonly description: string;

  constructor(
    readonly id: string,
    readonly reason: string,
  ) {
    this.description = `silenced: ${reason}`;
  }

  check(): Violation[] {
    return [];
  }
}
