import { decorate, inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { assertInjectedConfig } from '../injected-config.ts';
import { REGISTRY_CONFIG } from '../registry-config.ts';
import { ruleViolation } from '../rule-violation.ts';
import { tableScopes } from '../table-scope.ts';
import { tableShape, type KeyShape, type TableShape } from '../table-shape.ts';

/**
 * `ydtb/workspace-keys`: keys are part of isolation. PostgreSQL checks unique, primary-key and
 * foreign-key constraints without regard to row-level security, so on a workspace table:
 * - a primary key or unique constraint (or unique index) without workspace_id lets one workspace
 *   learn from a duplicate-key error that another holds a value (an e-mail, a slug, an id);
 * - a foreign key to a workspace table that does not carry workspace_id on both sides lets a row
 *   point at another workspace's row, and lets a workspace probe which ids exist there.
 * Foreign keys to core tables and to global tables are not concerned.
 */
export class WorkspaceKeysRule implements SchemaRule {
  static readonly id = 'ydtb/workspace-keys';
  readonly id = WorkspaceKeysRule.id;
  readonly severity = 'error' as const;
  readonly description = 'On workspace tables, primary keys and unique constraints include workspace_id, and foreign keys to workspace tables carry it on both sides: constraints are checked across workspaces, row-level security or not.';
  readonly hint = 'Lead the key with workspace_id: primaryKey({ columns: [t.workspaceId, t.id] }), unique(\'<name>\').on(t.workspaceId, t.email), foreignKey({ name: \'<name>\', columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }) (the referenced table then needs a key on (workspace_id, id)).';
  readonly keyHint = 'Lead the key with workspace_id: primaryKey({ columns: [t.workspaceId, t.id] }), unique(\'<name>\').on(t.workspaceId, t.email).';
  readonly foreignKeyHint = 'Reference the row by workspace and id: foreignKey({ name: \'<name>\', columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }); the referenced table\'s primary key is then (workspace_id, id).';
  readonly messages = {
    keyWithoutWorkspace: (table: string, kind: string, key: KeyShape, column: string) =>
      `The ${kind} ${key.name} (${key.columns.join(', ')}) of "${table}" does not include ${column}: PostgreSQL checks it across all workspaces, so a duplicate-key error would tell one workspace that another holds the value.`,
    foreignKeyWithoutWorkspace: (table: string, key: KeyShape, target: string, column: string) =>
      `The foreign key ${key.name} from "${table}" to "${target}" does not carry ${column} on both sides, so a row could point at another workspace's row and a workspace could probe which ids exist in another.`,
  };

  constructor(private readonly config: DatabaseRegistryConfig) {
    assertInjectedConfig(config, new.target);
  }

  check(context: RuleContext): Violation[] {
    const scope = tableScopes(context, this.config);
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      if (!shape.workspaceColumn || scope(shape.name) !== 'workspace') return [];
      return [...this.keyViolations(context, shape, shape.workspaceColumn), ...this.foreignKeyViolations(context, shape, shape.workspaceColumn, scope)];
    });
  }

  private keyViolations(context: RuleContext, shape: TableShape, column: string): Violation[] {
    const at = { table: shape.name };
    const keys = [
      ...(shape.primaryKey ? [{ kind: 'primary key', key: shape.primaryKey }] : []),
      ...shape.uniques.map((key) => ({ kind: 'unique constraint', key })),
    ];
    return keys
      .filter(({ key }) => !key.columns.includes(column))
      .map(({ kind, key }) => ruleViolation(this, context, this.messages.keyWithoutWorkspace(shape.name, kind, key, column), at, this.keyHint));
  }

  private foreignKeyViolations(context: RuleContext, shape: TableShape, column: string, scope: (table: string) => string): Violation[] {
    return shape.foreignKeys
      .filter((fk) => scope(fk.foreignTable) === 'workspace')
      .filter((fk) => !fk.columns.some((c, i) => c === column && fk.foreignColumns[i] === column))
      .map((fk) => ruleViolation(this, context, this.messages.foreignKeyWithoutWorkspace(shape.name, fk, fk.foreignTable, column), { table: shape.name, column: fk.columns.join(', ') }, this.foreignKeyHint));
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), WorkspaceKeysRule);
decorate(inject(REGISTRY_CONFIG), WorkspaceKeysRule, 0);
