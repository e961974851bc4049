import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableShape } from '../table-shape.ts';

const NULLING = new Set(['set null', 'set default']);

/**
 * `ydtb/workspace-set-null`: a foreign key that includes workspace_id must not say
 * `ON DELETE/UPDATE SET NULL` or `SET DEFAULT`. The action applies to every column of the key,
 * workspace_id included: SET NULL makes deleting the referenced row fail on workspace_id's
 * NOT NULL; SET DEFAULT would move the row to the default workspace.
 */
export class WorkspaceSetNullRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-set-null';
  readonly id = WorkspaceSetNullRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Foreign keys that include workspace_id do not use ON DELETE/UPDATE SET NULL or SET DEFAULT, which would change workspace_id too.';
  readonly hint = 'Use .onDelete(\'cascade\') or .onDelete(\'restrict\') (and the same for onUpdate). SET NULL is only safe on a nullable foreign key without workspace_id, such as authorId: text(\'author_id\').references(() => users.id, { onDelete: \'set null\' }).';
  readonly messages = {
    nulling: (table: string, key: string, event: string, action: string, column: string) =>
      `The foreign key ${key} of "${table}" includes ${column} and says ON ${event} ${action.toUpperCase()}: ` +
      (action === 'set null'
        ? `it would set ${column} to NULL too, so ${event === 'DELETE' ? 'deleting' : 'changing'} the referenced row fails on ${column}'s NOT NULL.`
        : `it would set ${column} to its default too, moving the row to another workspace.`),
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      const column = shape.workspaceColumn;
      if (!column) return [];
      return shape.foreignKeys
        .filter((fk) => fk.columns.includes(column))
        .flatMap((fk) =>
          [['DELETE', fk.onDelete], ['UPDATE', fk.onUpdate]]
            .filter(([, action]) => NULLING.has(action!))
            .map(([event, action]) =>
              ruleViolation(this, context, this.messages.nulling(shape.name, fk.name, event!, action!, column), { table: shape.name, column: fk.columns.join(', ') }),
            ),
        );
    });
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceSetNullRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceSetNullRule, 0);
