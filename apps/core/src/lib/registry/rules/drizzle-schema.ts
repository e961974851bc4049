import { injectable } from 'inversify';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry';
import { ruleViolation } from '../rule-violation';

/** `ydtb/drizzle-schema`: the schema module holds only Drizzle pg-core objects. */
@injectable()
export class DrizzleSchemaRule implements SchemaRule {
  static readonly id = 'ydtb/drizzle-schema';
  readonly id = DrizzleSchemaRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Every export of the schema module is a Drizzle pg-core table, relation, enum, view, sequence or schema.';
  readonly hint = 'Define tables with ydtbTable()/pgTable() from drizzle-orm/pg-core, and move other values out of the schema module.';
  readonly messages = {
    notDrizzle: (exportName: string, description: string) =>
      `Schema export "${exportName}" is ${description}; the registry only accepts Drizzle pg-core objects.`,
  };

  check(context: RuleContext): Violation[] {
    return context.strays.map((stray) => ruleViolation(this, context, this.messages.notDrizzle(stray.exportName, stray.description)));
  }
}
