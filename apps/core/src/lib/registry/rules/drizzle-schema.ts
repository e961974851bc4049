import { decorate, injectable } from 'inversify';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { ruleViolation } from '../rule-violation.ts';

/**
 * `ydtb/drizzle-schema`: nothing in the schema module looks like a database object without being
 * a pg-core one the registry validates (a table of another dialect, loose columns, tables hidden
 * in a helper object, a policy, a role, a pgSchema), and no table declares a policy of its own or
 * lives outside the public schema. Functions, constants and TypeScript enums are ignored.
 */
export class DrizzleSchemaRule implements SchemaRule {
  static readonly id = 'ydtb/drizzle-schema';
  readonly id = DrizzleSchemaRule.id;
  readonly severity = 'error' as const;
  readonly description = 'No schema export looks like a database object without being a Drizzle pg-core table, view, enum, sequence or relation, and no table declares its own policy or lives outside the public schema; plain values are ignored.';
  readonly hint = 'Define tables with ydtbTable() from @ydtb/plugin-api (drizzle-orm/pg-core) and export each on its own; keep columns inside their table, and policies and roles out of packages.';
  readonly messages = {
    notDrizzle: (exportName: string, description: string) =>
      `Schema export "${exportName}" is ${description}; the registry only accepts Drizzle pg-core objects.`,
    otherSchema: (table: string, schema: string) =>
      `Table "${table}" is in the PostgreSQL schema "${schema}"; package tables live in the public schema, where the registry names, secures and verifies them.`,
    policy: (table: string, policy: string) =>
      `Table "${table}" declares the row-level security policy "${policy}"; the registry installs the only policy a package table may have, and another permissive one would widen what a workspace sees.`,
  };

  check(context: RuleContext): Violation[] {
    const strays = context.strays.map((stray) => ruleViolation(this, context, this.messages.notDrizzle(stray.exportName, stray.description)));
    const tables = context.tables.flatMap(({ config }) => [
      ...(config.schema ? [ruleViolation(this, context, this.messages.otherSchema(config.name, config.schema), { table: config.name })] : []),
      ...config.policies.map((policy) => ruleViolation(this, context, this.messages.policy(config.name, policy.name), { table: config.name })),
    ]);
    return [...strays, ...tables];
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), DrizzleSchemaRule);
