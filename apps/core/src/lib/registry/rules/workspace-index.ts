import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { globalTableNames } from '../table-scope.ts';
import { tableShape } from '../table-shape.ts';

/**
 * `ydtb/workspace-index` (warning): every workspace table has an index led by workspace_id.
 * Every query is filtered by workspace (row-level security adds the filter), so without one
 * each query scans every workspace's rows.
 */
export class WorkspaceIndexRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-index';
  readonly id = WorkspaceIndexRule.id;
  readonly severity = 'warning' as const;
  readonly description = 'Every package table has an index (or primary key) whose first column is workspace_id.';
  readonly hint = 'Lead the primary key with workspace_id (primaryKey({ columns: [t.workspaceId, t.id] })) or add index(\'<table>_workspace_idx\').on(t.workspaceId).';
  readonly messages = {
    missing: (table: string, column: string) => `Table "${table}" has no index whose first column is ${column}; every workspace query will scan the whole table.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const global = globalTableNames(context);
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      if (!shape.workspaceColumn || global.has(shape.name)) return [];
      if (shape.indexes.some((index) => index.columns[0] === shape.workspaceColumn)) return [];
      return [ruleViolation(this, context, this.messages.missing(shape.name, shape.workspaceColumn), { table: shape.name })];
    });
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceIndexRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceIndexRule, 0);
