import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { CORE_PACKAGE_NAME } from '../core-package.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableShape } from '../table-shape.ts';

/**
 * `ydtb/cross-package-fk`: a foreign key may point at the package's own tables, at core's, or
 * at a table of a package listed in `dependencies` — the order migrations run in depends on it.
 */
export class CrossPackageFkRule implements SchemaRule {
  static readonly id = 'ydtb/cross-package-fk';
  readonly id = CrossPackageFkRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Foreign keys to another package\'s tables are allowed only when that package is listed in dependencies.';
  readonly hint = 'Add the package that owns the referenced table to "dependencies" (and to package.json), or drop the foreign key.';
  readonly messages = {
    undeclared: (table: string, target: string, owner: string) =>
      `Table "${table}" references "${target}" of ${owner}, which is not listed in dependencies.`,
    unknownTarget: (table: string, target: string) =>
      `Table "${table}" references "${target}", which no registered package declares.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const own = new Set(context.tables.map((t) => t.config.name));
    const owners = context.owners.tables;
    const declared = new Set(context.registration.dependencies ?? []);
    return context.tables.flatMap((inspected) =>
      tableShape(inspected, this.config)
        .foreignKeys.filter((fk) => !own.has(fk.foreignTable))
        .flatMap((fk): Violation[] => {
          const owner = owners.get(fk.foreignTable);
          const where = { table: inspected.config.name, column: fk.columns.join(', ') };
          if (!owner) return [ruleViolation(this, context, this.messages.unknownTarget(inspected.config.name, fk.foreignTable), where)];
          if (owner === CORE_PACKAGE_NAME || declared.has(owner)) return [];
          return [ruleViolation(this, context, this.messages.undeclared(inspected.config.name, fk.foreignTable, owner), where)];
        }),
    );
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), CrossPackageFkRule);
decorate(inject(REGISTRY_CONFIG), CrossPackageFkRule, 0);

