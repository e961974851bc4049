import { getTableColumns, getTableName, isTable } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, InspectedTable, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import * as coreSchema from '../../../server/db/schema.ts';
import { CORE_PACKAGE_NAME } from '../core-package.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { globalTableNames } from '../table-scope.ts';

/** Column types PostgreSQL compares with core's text ids without a cast of the author's own: text, and varchar of any length. */
const TEXT_TYPES = new Set(['PgText', 'PgVarchar']);

/** Core's tables, known without a registry (a rule may run before core is registered, as in tests). */
const CORE_TABLES: ReadonlySet<string> = new Set<string>(Object.values(coreSchema).filter((value) => isTable(value)).map((table) => getTableName(table)));

/**
 * `ydtb/core-reference-types`: the workspace column, and every column of a foreign key to a core
 * table (`ydtb_workspaces`, `ydtb_users`, `ydtb_workspace_members`), is `text` or `varchar`. Core's
 * ids are text: PostgreSQL refuses a foreign key from an integer or uuid column to them, and the
 * isolation policy compares the workspace column with a text setting. Decided here, at check,
 * so no migration is generated that can only fail.
 */
export class CoreReferenceTypesRule implements SchemaRule {
  static readonly id = 'ydtb/core-reference-types';
  readonly id = CoreReferenceTypesRule.id;
  readonly severity = 'error' as const;
  readonly description = 'The workspace column and every column referencing a core table are text or varchar, the type of core\'s ids, so the foreign key and the isolation policy can compare them.';
  readonly hint = 'Core\'s ids are text: declare the column with text(\'<name>\') (varchar(\'<name>\', { length: n }) works too). When porting integer or uuid ids, store them as text too (docs/package-authors.md, "Porting an existing schema").';
  readonly messages = {
    incompatible: (table: string, column: string, type: string, target: string) =>
      `Column "${table}.${column}" is ${type}, but ${target} is text: PostgreSQL cannot compare ${type} with text, so the foreign key and the workspace policy on it cannot be created. Declare it as text('${column}').`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const global = globalTableNames(context);
    return context.tables.flatMap((inspected) => this.checkTable(context, inspected, !global.has(inspected.config.name)));
  }

  private checkTable(context: RuleContext, inspected: InspectedTable, hasWorkspace: boolean): Violation[] {
    const name = inspected.config.name;
    // Column name → the core column it must be comparable with, in the order they are found.
    const targets = new Map<string, { column: PgColumn; target: string }>();
    const columns = getTableColumns(inspected.table) as Record<string, PgColumn | undefined>;
    // The columns a table's third argument sees are drizzle's copies: the table's own are found by name.
    const byName = new Map(Object.values(columns).flatMap((c) => (c ? [[c.name, c] as const] : [])));
    const workspace = columns[this.config.workspaceProperty];
    if (hasWorkspace && workspace) targets.set(workspace.name, { column: workspace, target: `${this.config.tenantTable}.${this.config.tenantKey}` });
    for (const fk of inspected.config.foreignKeys) {
      const ref = fk.reference();
      const foreignTable = getTableName(ref.foreignTable);
      if (!CORE_TABLES.has(foreignTable) && context.owners.tables.get(foreignTable) !== CORE_PACKAGE_NAME) continue;
      ref.columns.forEach(({ name: columnName }, i) => {
        const foreign = ref.foreignColumns[i];
        const column = byName.get(columnName);
        if (!column || !foreign || !TEXT_TYPES.has(foreign.columnType) || targets.has(column.name)) return;
        targets.set(column.name, { column, target: `${foreignTable}.${foreign.name}` });
      });
    }
    return [...targets.values()]
      .filter(({ column }) => !TEXT_TYPES.has(column.columnType))
      .map(({ column, target }) =>
        ruleViolation(this, context, this.messages.incompatible(name, column.name, column.getSQLType(), target), { table: name, column: column.name }),
      );
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), CoreReferenceTypesRule);
decorate(inject(REGISTRY_CONFIG), CoreReferenceTypesRule, 0);
