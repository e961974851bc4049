import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { globalTableNames, tableScopes } from '../table-scope.ts';
import { tableShape } from '../table-shape.ts';

/**
 * `ydtb/global-tables`: a table declared in `globalTables` holds no workspace's data (it gets no
 * workspace policy and every workspace may read it), so it must exist in the schema, have no
 * workspace column and no foreign key to a workspace table.
 */
export class GlobalTablesRule implements SchemaRule {
  static readonly id = 'ydtb/global-tables';
  readonly id = GlobalTablesRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Every table declared in globalTables exists in the schema and holds no workspace data: no workspace column, no foreign key to a workspace table.';
  readonly hint = 'A global table is shared by every workspace and has no row-level security: keep workspace data out of it, or make it a workspace table (add workspaceId and remove it from globalTables).';
  readonly messages = {
    missing: (table: string) => `Table "${table}" is declared in globalTables but the schema has no table of that name.`,
    missingHint: 'Use the table\'s full name ("ydtb_<package>_<name>", as ydtbTable() creates it) and export the table from the schema module, or remove the entry.',
    workspaceColumn: (table: string, column: string) =>
      `Global table "${table}" has a workspace column (${column}): it would hold workspace data without a policy, readable by every workspace.`,
    workspaceReference: (table: string, target: string) =>
      `Global table "${table}" references "${target}", a workspace table: every workspace could read the links into one workspace's rows.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const declared = globalTableNames(context);
    const present = new Set(context.tables.map((t) => t.config.name));
    const violations = [...declared]
      .filter((name) => !present.has(name))
      .map((name) => ruleViolation(this, context, this.messages.missing(name), { table: name }, this.messages.missingHint));
    const scope = tableScopes(context, this.config);
    for (const inspected of context.tables.filter((t) => declared.has(t.config.name))) {
      const shape = tableShape(inspected, this.config);
      const tenantColumns = shape.foreignKeys.filter((fk) => fk.foreignTable === this.config.tenantTable).flatMap((fk) => fk.columns);
      const workspaceColumns = new Set([...(shape.workspaceColumn ? [shape.workspaceColumn] : []), ...tenantColumns]);
      for (const column of workspaceColumns) {
        violations.push(ruleViolation(this, context, this.messages.workspaceColumn(shape.name, column), { table: shape.name, column }));
      }
      for (const fk of shape.foreignKeys.filter((f) => scope(f.foreignTable) === 'workspace')) {
        violations.push(ruleViolation(this, context, this.messages.workspaceReference(shape.name, fk.foreignTable), { table: shape.name, column: fk.columns.join(', ') }));
      }
    }
    return violations;
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), GlobalTablesRule);
decorate(inject(REGISTRY_CONFIG), GlobalTablesRule, 0);
