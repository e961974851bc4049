import { existingTableCommands, typeNameOf, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** `varchar(256)` → 256; `varchar` → Infinity (no limit); anything else → undefined. */
function varcharLength(type: string): number | undefined {
  if (type === 'varchar' || type === 'text') return Infinity;
  const match = /^varchar\((\d+)\)$/.exec(type);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether PostgreSQL changes `from` to `to` without rewriting the table: varchar to text or to
 * unbounded varchar, a longer varchar, text to unbounded varchar (binary-coercible, no check).
 * A `USING` expression always rewrites; an unknown earlier type is assumed to.
 */
export function rewritesTable(from: string | undefined, to: string, using: boolean): boolean {
  if (using || from === undefined) return true;
  if (from === to) return false;
  const before = varcharLength(from);
  const after = varcharLength(to);
  return before === undefined || after === undefined || after < before;
}

/** `ydtb/lint-column-type`: changing a column's type rewrites the table under an exclusive lock. */
export const columnType: MigrationLintRule = {
  id: 'ydtb/lint-column-type',
  severity: 'error',
  description: 'A migration that changes the type of an existing column rewrites the whole table (and its indexes) while holding an ACCESS EXCLUSIVE lock: every read and write waits; values that do not cast make it fail. Changes PostgreSQL makes without a rewrite (varchar to text, a longer varchar) pass.',
  hint: 'Add a column of the new type, backfill it, switch the code, then drop the old one; or, for a small table, declare it: -- ydtb:allow ydtb/lint-column-type <reason>.',
  messages: {
    changed: (table: string, column: string) => `"ALTER TABLE ${table} ALTER COLUMN ${column} TYPE …" rewrites the table under an ACCESS EXCLUSIVE lock.`,
  },
  check(statement: LintStatement) {
    return existingTableCommands(statement)
      .filter(({ cmd }) => cmd.subtype === 'AT_AlterColumnType')
      .filter(({ table, cmd }) => {
        const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined;
        if (!def?.typeName) return true;
        return rewritesTable(statement.columnTypes?.get(`${table}.${cmd.name}`), typeNameOf(def.typeName), def.raw_default !== undefined);
      })
      .map(({ table, cmd }) => this.messages.changed!(table, cmd.name ?? '?'));
  },
};
