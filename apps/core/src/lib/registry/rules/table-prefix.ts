import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';

/**
 * `ydtb/table-prefix`: every table, view, enum type and sequence a package declares starts with
 * the platform prefix, so it is recognisable and cannot take a name PostgreSQL or an extension uses.
 */
export class PrefixRule implements SchemaRule {
  static readonly id = 'ydtb/table-prefix';
  readonly id = PrefixRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Every package table, view, enum type and sequence name starts with the platform prefix, so objects are recognisable and cannot shadow system ones.';
  readonly hint: string;
  readonly hints: Readonly<Record<string, string>>;
  readonly messages = {
    missingPrefix: (table: string, prefix: string) => `Table "${table}" does not start with "${prefix}".`,
    objectMissingPrefix: (kind: string, name: string, prefix: string) => `${kind} "${name}" does not start with "${prefix}".`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
    const prefix = config.tablePrefix;
    this.hint = `Create tables with ydtbTable('<package>_<name>', …) from @ydtb/plugin-api, or name them "${prefix}<package>_<name>".`;
    this.hints = {
      'Enum type': `Create enum types with ydtbEnum('<package>_<name>', [...]) from @ydtb/plugin-api, or name them "${prefix}<package>_<name>".`,
      Sequence: `Name the sequence "${prefix}<package>_<name>": pgSequence('${prefix}<package>_<name>', …).`,
      View: `Name the view "${prefix}<package>_<name>": pgView('${prefix}<package>_<name>').with({ securityInvoker: true }).as(…).`,
      'Materialized view': `Name it "${prefix}<package>_<name>".`,
    };
  }

  check(context: RuleContext): Violation[] {
    const prefix = this.config.tablePrefix;
    const violations = context.tables
      .filter(({ config }) => !config.name.startsWith(prefix))
      .map(({ config }) => ruleViolation(this, context, this.messages.missingPrefix(config.name, prefix), { table: config.name }));
    const objects = [
      ...context.views.map((v) => ({ kind: v.materialized ? 'Materialized view' : 'View', name: v.name })),
      ...context.objects.map((o) => ({ kind: o.kind === 'enum' ? 'Enum type' : 'Sequence', name: o.name })),
    ];
    for (const { kind, name } of objects.filter((o) => !o.name.startsWith(prefix))) {
      violations.push(ruleViolation(this, context, this.messages.objectMissingPrefix(kind, name, prefix), {}, this.hints[kind]));
    }
    return violations;
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), PrefixRule);
decorate(inject(REGISTRY_CONFIG), PrefixRule, 0);
