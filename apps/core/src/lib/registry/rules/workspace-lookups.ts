import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableShape } from '../table-shape.ts';
import { globalTableNames } from '../table-scope.ts';

const TEXT_TYPES = new Set(['PgText', 'PgVarchar']);

/**
 * `ydtb/workspace-lookups`: each declared workspace lookup reads a text or varchar column, other
 * than the workspace column, of one of the package's own workspace tables, and that column is a
 * key: unique with workspace_id (`unique: 'workspace'`, the default) or on its own
 * (`unique: 'global'`). The pipeline's function matches it exactly and refuses a key found in two
 * workspaces; without a unique key an exact match could still be many rows of one workspace.
 */
export class WorkspaceLookupsRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-lookups';
  readonly id = WorkspaceLookupsRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Each workspace lookup reads a unique text or varchar key column of one of the package\'s own workspace tables.';
  readonly hint = "Declare workspaceLookups: { <name>: { table: '<the table's SQL name>', column: '<the key column's SQL name>' } } on one of the package's workspace tables, with unique('<name>').on(t.workspaceId, t.<key>) in the table (or unique: 'global' and a key on the column alone).";
  readonly messages = {
    unknownTable: (lookup: string, table: string) => `Workspace lookup "${lookup}" reads table "${table}", which is not a table of this package.`,
    globalTable: (lookup: string, table: string) => `Workspace lookup "${lookup}" reads "${table}", a global table: it holds no workspace to find.`,
    unknownColumn: (lookup: string, table: string, column: string) => `Workspace lookup "${lookup}" reads column "${table}.${column}", which does not exist (give the column's SQL name).`,
    workspaceColumn: (lookup: string, table: string, column: string) => `Workspace lookup "${lookup}" reads "${table}.${column}", the workspace column itself.`,
    type: (lookup: string, table: string, column: string, type: string) => `Workspace lookup "${lookup}" reads "${table}.${column}", which is ${type}: a lookup matches text keys exactly, so the column must be text or varchar.`,
    notUnique: (lookup: string, table: string, column: string, key: string) =>
      `Workspace lookup "${lookup}" reads "${table}.${column}", which has no unique key on (${key}): one key could match many rows.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const global = globalTableNames(context);
    const violations: Violation[] = [];
    for (const [lookup, { table, column, unique = 'workspace' }] of Object.entries(context.registration.workspaceLookups ?? {})) {
      const inspected = context.tables.find((t) => t.config.name === table);
      const where = { table, column };
      const report = (message: string) => violations.push(ruleViolation(this, context, message, where));
      if (!inspected) {
        report(this.messages.unknownTable(lookup, table));
        continue;
      }
      if (global.has(table)) {
        report(this.messages.globalTable(lookup, table));
        continue;
      }
      const definition = inspected.config.columns.find((c) => c.name === column);
      const shape = tableShape(inspected, this.config);
      if (!definition) report(this.messages.unknownColumn(lookup, table, column));
      else if (column === shape.workspaceColumn) report(this.messages.workspaceColumn(lookup, table, column));
      else if (!TEXT_TYPES.has(definition.columnType)) report(this.messages.type(lookup, table, column, definition.getSQLType()));
      else {
        const wanted = unique === 'global' ? [column] : [shape.workspaceColumn!, column];
        const keys = [...(shape.primaryKey ? [shape.primaryKey] : []), ...shape.uniques];
        const isKey = keys.some((k) => k.columns.length === wanted.length && wanted.every((c) => k.columns.includes(c)));
        if (!isKey) report(this.messages.notUnique(lookup, table, column, wanted.join(', ')));
      }
    }
    return violations;
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceLookupsRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceLookupsRule, 0);
