import { inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Severity, Violation } from '../../../types/database-registry';
import { CORE_PACKAGE_NAME } from '../core-package';
import { REGISTRY_CONFIG } from '../registry-config';
import { ruleViolation } from '../rule-violation';
import { tableShape, type KeyShape } from '../table-shape';

/**
 * `ydtb/distribution-ready`: what Citus requires of a table distributed by workspace_id —
 * primary keys and unique constraints include it, and foreign keys between package tables
 * include it on both sides — so workspaces can later be sharded across machines.
 * Warning by default; `distributionReadiness: 'error'` in the registry config makes it binding.
 */
@injectable()
export class DistributionReadyRule implements SchemaRule {
  static readonly id = 'ydtb/distribution-ready';
  readonly id = DistributionReadyRule.id;
  readonly severity: Severity;
  readonly description = 'Primary keys, unique constraints and foreign keys between package tables include workspace_id, as a table distributed by tenant requires.';
  readonly hint = 'Put workspace_id first in the key: primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.slug), foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }).';
  readonly messages = {
    noPrimaryKey: (table: string) => `Table "${table}" has no primary key.`,
    keyWithoutWorkspace: (table: string, kind: string, key: KeyShape, column: string) =>
      `The ${kind} ${key.name} (${key.columns.join(', ')}) of "${table}" does not include ${column}.`,
    foreignKeyWithoutWorkspace: (table: string, key: KeyShape, target: string, column: string) =>
      `The foreign key ${key.name} from "${table}" to "${target}" does not carry ${column} on both sides, so a row could point into another workspace.`,
  };

  constructor(@inject(REGISTRY_CONFIG) private readonly config: DatabaseRegistryConfig) {
    this.severity = config.distributionReadiness;
  }

  check(context: RuleContext): Violation[] {
    const own = new Set(context.tables.map((t) => t.config.name));
    const owners = context.owners.tables;
    // Package tables are distributed by workspace: this package's and every registered package's, not core's.
    const isPackageTable = (name: string) =>
      name !== this.config.tenantTable && (own.has(name) || (owners.has(name) && owners.get(name) !== CORE_PACKAGE_NAME));
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      const column = shape.workspaceColumn;
      if (!column) return [];
      const at = { table: shape.name };
      const violations: Violation[] = [];
      if (!shape.primaryKey) violations.push(ruleViolation(this, context, this.messages.noPrimaryKey(shape.name), at));
      else if (!shape.primaryKey.columns.includes(column)) {
        violations.push(ruleViolation(this, context, this.messages.keyWithoutWorkspace(shape.name, 'primary key', shape.primaryKey, column), at));
      }
      for (const unique of shape.uniques.filter((u) => !u.columns.includes(column))) {
        violations.push(ruleViolation(this, context, this.messages.keyWithoutWorkspace(shape.name, 'unique constraint', unique, column), at));
      }
      for (const fk of shape.foreignKeys.filter((f) => isPackageTable(f.foreignTable))) {
        const paired = fk.columns.some((c, i) => c === column && fk.foreignColumns[i] === column);
        if (!paired) violations.push(ruleViolation(this, context, this.messages.foreignKeyWithoutWorkspace(shape.name, fk, fk.foreignTable, column), at));
      }
      return violations;
    });
  }
}

