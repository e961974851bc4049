import { inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry';
import { REGISTRY_CONFIG } from '../registry-config';
import { ruleViolation } from '../rule-violation';

/** `ydtb/table-prefix`: every package table name starts with the platform prefix. */
@injectable()
export class PrefixRule implements SchemaRule {
  static readonly id = 'ydtb/table-prefix';
  readonly id = PrefixRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Every package table name starts with the platform prefix, so tables are recognisable and cannot shadow system tables.';
  readonly hint: string;
  readonly messages = {
    missingPrefix: (table: string, prefix: string) => `Table "${table}" does not start with "${prefix}".`,
  };

  constructor(@inject(REGISTRY_CONFIG) private readonly config: DatabaseRegistryConfig) {
    this.hint = `Create tables with ydtbTable('<package>_<name>', …) from @ydtb/plugin-api, or name them "${config.tablePrefix}<package>_<name>".`;
  }

  check(context: RuleContext): Violation[] {
    const prefix = this.config.tablePrefix;
    return context.tables
      .filter(({ config }) => !config.name.startsWith(prefix))
      .map(({ config }) => ruleViolation(this, context, this.messages.missingPrefix(config.name, prefix), { table: config.name }));
  }
}
