import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Severity, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableShape } from '../table-shape.ts';

/**
 * `ydtb/workspace-cascade`: a foreign key to `ydtb_workspaces` says `ON DELETE CASCADE`, so erasing
 * a workspace removes its rows with it. `NO ACTION` or `RESTRICT` would make deleting the workspace
 * fail as long as the package holds a row of it. A nullable reference to a workspace other than
 * the row's own (`movedFromWorkspaceId`) may say `SET NULL` instead: the row belongs to another
 * workspace and only loses the reference (`SET NULL` on the workspace column is
 * `ydtb/workspace-set-null`'s). Warning by default; `workspaceCascade: 'error'` in the registry
 * config makes it binding.
 */
export class WorkspaceCascadeRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-cascade';
  readonly id = WorkspaceCascadeRule.id;
  readonly severity: Severity;
  readonly description = 'Foreign keys to the workspace table say ON DELETE CASCADE, so erasing a workspace removes its rows instead of failing on them.';
  readonly hint: string;
  readonly messages = {
    notCascading: (table: string, key: string, tenantTable: string, action: string) =>
      `The foreign key ${key} of "${table}" to ${tenantTable} says ON DELETE ${action.toUpperCase()}: deleting a workspace fails while this table holds one of its rows, so the workspace cannot be erased.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
    this.severity = config.workspaceCascade;
    this.hint = `Declare the reference with { onDelete: 'cascade' }: .references(() => workspaces.id, { onDelete: 'cascade' }) (or foreignKey({ … }).onDelete('cascade')), then generate its migration with ydtb db generate <package>. A nullable reference to another workspace than the row's own may use { onDelete: 'set null' }.`;
  }

  check(context: RuleContext): Violation[] {
    const { tenantTable, tenantKey } = this.config;
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      return shape.foreignKeys
        .filter((fk) => fk.foreignTable === tenantTable && fk.foreignColumns.includes(tenantKey) && !this.erasable(fk.onDelete, fk.columns, shape.workspaceColumn))
        .map((fk) =>
          ruleViolation(this, context, this.messages.notCascading(shape.name, fk.name, tenantTable, fk.onDelete), { table: shape.name, column: fk.columns.join(', ') }),
        );
    });
  }

  /** CASCADE removes the row; SET NULL on a reference that is not the row's own workspace only clears it. */
  private erasable(onDelete: string, columns: readonly string[], workspaceColumn: string | undefined): boolean {
    if (onDelete === 'cascade') return true;
    return onDelete === 'set null' && (workspaceColumn === undefined || !columns.includes(workspaceColumn));
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceCascadeRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceCascadeRule, 0);
