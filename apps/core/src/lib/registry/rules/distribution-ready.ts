import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Severity, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableScopes } from '../table-scope.ts';
import { tableShape } from '../table-shape.ts';

/**
 * `ydtb/distribution-ready`: what Citus requires of a table distributed by workspace_id beyond
 * what isolation already requires (keys that include workspace_id are `ydtb/workspace-keys`):
 * a primary key (shard moves replicate rows by it), and identity columns of type bigint (the only
 * identity type Citus supports on a distributed table).
 * Warning by default; `distributionReadiness: 'error'` in the registry config makes it binding.
 */
export class DistributionReadyRule implements SchemaRule {
  static readonly id = 'ydtb/distribution-ready';
  readonly id = DistributionReadyRule.id;
  readonly severity: Severity;
  readonly description = 'Workspace tables have a primary key and bigint identity columns only, as Citus requires of a table distributed by tenant.';
  readonly hint = 'Give the table a primary key led by workspace_id (primaryKey({ columns: [t.workspaceId, t.id] })); declare identity columns as bigint(\'id\', { mode: \'number\' }).generatedAlwaysAsIdentity().';
  readonly messages = {
    noPrimaryKey: (table: string) => `Table "${table}" has no primary key.`,
    narrowIdentity: (table: string, column: string, type: string) =>
      `Column "${table}.${column}" is an identity column of type ${type}; Citus supports only bigint identity columns on distributed tables.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
    this.severity = config.distributionReadiness;
  }

  check(context: RuleContext): Violation[] {
    // Workspace tables are distributed by workspace; global ones would be reference tables.
    const scope = tableScopes(context, this.config);
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      if (!shape.workspaceColumn || scope(shape.name) !== 'workspace') return [];
      const at = { table: shape.name };
      const violations: Violation[] = [];
      if (!shape.primaryKey) violations.push(ruleViolation(this, context, this.messages.noPrimaryKey(shape.name), at));
      for (const column of shape.identityColumns) {
        if (column.sqlType !== 'bigint') {
          violations.push(ruleViolation(this, context, this.messages.narrowIdentity(shape.name, column.name, column.sqlType), { ...at, column: column.name }));
        }
      }
      return violations;
    });
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), DistributionReadyRule);
decorate(inject(REGISTRY_CONFIG), DistributionReadyRule, 0);
