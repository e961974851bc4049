import { decorate, inject, injectable } from 'inversify';
import type {
  DatabaseRegistryConfig,
  InspectedTable,
  RuleContext,
  SchemaRule,
  Violation,
} from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableShape } from '../table-shape.ts';
import { globalTableNames } from '../table-scope.ts';

/**
 * `ydtb/workspace-fk`: every package table (but the declared global ones) has a NOT NULL
 * `workspaceId` column with a foreign key of its own to `ydtb_workspaces.id`, the column tenant
 * isolation is enforced on. The key may be declared inline (`.references(() => workspaces.id)`)
 * or in the table's third argument (`foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] })`).
 */
export class WorkspaceFkRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-fk';
  readonly id = WorkspaceFkRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Every package table has a NOT NULL workspaceId column referencing the tenant table, so every row belongs to one workspace; declared global tables are exempt.';
  readonly hint: string;
  readonly missingColumnHint: string;
  readonly messages = {
    missingColumn: (table: string, property: string) => `Table "${table}" has no "${property}" column.`,
    nullable: (table: string, column: string) => `Column "${table}.${column}" is nullable; a row without a workspace belongs to nobody.`,
    missingForeignKey: (table: string, column: string, target: string) =>
      `Column "${table}.${column}" has no foreign key to ${target}.`,
    wrongTarget: (table: string, column: string, actual: string, target: string) =>
      `Column "${table}.${column}" references ${actual} instead of ${target}.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
    this.hint = `Add ${config.workspaceProperty}: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }) with workspaces from @ydtb/plugin-api.`;
    this.missingColumnHint = `${this.hint} If the table holds no workspace's data (a lookup list), declare it in globalTables with the reason instead.`;
  }

  check(context: RuleContext): Violation[] {
    const global = globalTableNames(context);
    return context.tables.filter((t) => !global.has(t.config.name)).flatMap((table) => this.checkTable(context, table));
  }

  private checkTable(context: RuleContext, inspected: InspectedTable): Violation[] {
    const shape = tableShape(inspected, this.config);
    const column = shape.workspaceColumn;
    if (column === undefined) {
      const message = this.messages.missingColumn(shape.name, this.config.workspaceProperty);
      return [ruleViolation(this, context, message, { table: shape.name, column: this.config.workspaceProperty }, this.missingColumnHint)];
    }
    const where = { table: shape.name, column };
    const violations: Violation[] = [];
    if (!shape.workspaceNotNull) violations.push(ruleViolation(this, context, this.messages.nullable(shape.name, column), where));
    const target = `${this.config.tenantTable}.${this.config.tenantKey}`;
    // By name: the columns a table's third argument sees are drizzle's copies, not the table's own objects.
    const references = shape.foreignKeys.filter((fk) => fk.columns.length === 1 && fk.columns[0] === column);
    if (references.length === 0) {
      violations.push(ruleViolation(this, context, this.messages.missingForeignKey(shape.name, column, target), where));
    } else if (!references.some((fk) => this.isTenantKey(fk.foreignTable, fk.foreignColumns[0]))) {
      const fk = references[0]!;
      const actual = `${fk.foreignTable}.${fk.foreignColumns[0]}`;
      violations.push(ruleViolation(this, context, this.messages.wrongTarget(shape.name, column, actual, target), where));
    }
    return violations;
  }

  private isTenantKey(table: string, column: string | undefined): boolean {
    return table === this.config.tenantTable && column === this.config.tenantKey;
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceFkRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceFkRule, 0);
