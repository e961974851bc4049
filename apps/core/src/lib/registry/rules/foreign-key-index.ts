import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { globalTableNames } from '../table-scope.ts';
import { tableShape, type ForeignKeyShape, type KeyShape, type TableShape } from '../table-shape.ts';

/**
 * `ydtb/foreign-key-index` (warning): every foreign key of a package table is covered by an index
 * (primary key, unique constraint or index) whose leading columns are exactly the key's columns,
 * in any order. PostgreSQL does not index a referencing column by itself: without one, each delete
 * of a referenced row (and each `ON DELETE CASCADE` / `SET NULL`) scans this table for its
 * references, so erasing many referenced rows grows with the square of the rows.
 * The workspace column's own key to the workspace table is `ydtb/workspace-index`'s, not reported twice.
 */
export class ForeignKeyIndexRule implements SchemaRule {
  static readonly id = 'ydtb/foreign-key-index';
  readonly id = ForeignKeyIndexRule.id;
  readonly severity = 'warning' as const;
  readonly description = 'Every foreign key is covered by an index (or primary key / unique constraint) whose leading columns are its columns.';
  readonly hint =
    'Deleting a referenced row (or a cascade from it) looks up the rows that reference it; without an index led by the foreign key\'s columns that lookup scans the referencing table, once per deleted row. Add index(\'<table>_<columns>_idx\').on(…the foreign key\'s columns…), then generate its migration with ydtb db generate <package>.';
  readonly messages = {
    uncovered: (table: string, columns: readonly string[], foreignTable: string, fix: string) =>
      `The foreign key (${columns.join(', ')}) of "${table}" to "${foreignTable}" has no index whose leading columns are (${columns.join(', ')}): each delete in "${foreignTable}" scans "${table}". Add ${fix}.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const global = globalTableNames(context);
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      return shape.foreignKeys
        .filter((fk) => !this.reportedByWorkspaceIndex(fk, shape, global) && !shape.indexes.some((index) => covers(index, fk.columns)))
        .map((fk) =>
          ruleViolation(this, context, this.messages.uncovered(shape.name, fk.columns, fk.foreignTable, this.fix(inspected.table, shape, fk)), {
            table: shape.name,
            column: fk.columns.join(', '),
          }),
        );
    });
  }

  /** `ydtb/workspace-index` already asks every workspace table for an index led by its workspace column. */
  private reportedByWorkspaceIndex(fk: ForeignKeyShape, shape: TableShape, global: ReadonlySet<string>): boolean {
    return (
      fk.foreignTable === this.config.tenantTable &&
      shape.workspaceColumn !== undefined &&
      !global.has(shape.name) &&
      fk.columns.length === 1 &&
      fk.columns[0] === shape.workspaceColumn
    );
  }

  /** `index('<table>_<columns>_idx').on(t.a, t.b)`, spelled with the table's property names. */
  private fix(table: PgTable, shape: TableShape, fk: ForeignKeyShape): string {
    const properties = new Map<string, string>();
    for (const [property, column] of Object.entries(getTableColumns(table))) properties.set(column.name, property);
    const on = fk.columns.map((c) => `t.${properties.get(c) ?? c}`).join(', ');
    return `index('${shape.name}_${fk.columns.join('_')}_idx').on(${on})`;
  }
}

/** Whether an index's leading columns are exactly the given columns, in any order (PostgreSQL can use it either way). */
export function covers(index: KeyShape, columns: readonly string[]): boolean {
  if (index.columns.length < columns.length) return false;
  const leading = new Set(index.columns.slice(0, columns.length));
  return leading.size === new Set(columns).size && columns.every((c) => leading.has(c));
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), ForeignKeyIndexRule);
decorate(inject(REGISTRY_CONFIG), ForeignKeyIndexRule, 0);
