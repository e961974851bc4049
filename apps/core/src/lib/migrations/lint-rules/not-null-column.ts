import { existingTableCommands, type LintStatement, type MigrationLintRule } from '../lint-rule.ts';

/** Types whose column gets a sequence default. */
const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** `ydtb/lint-not-null-column`: a NOT NULL column without a default fails on a table that has rows. */
export const notNullColumn: MigrationLintRule = {
  id: 'ydtb/lint-not-null-column',
  severity: 'error',
  description: 'A migration that adds a NOT NULL column without a default to an existing table fails as soon as the table has a row: the migration works on an empty development database and fails in production.',
  hint: 'Give the column a DEFAULT (.default(…) in the Drizzle schema), or add it nullable, backfill it, then set NOT NULL in a later migration.',
  messages: {
    added: (table: string, column: string) => `"ALTER TABLE ${table} ADD COLUMN ${column} … NOT NULL" has no default: it fails on a table that holds rows.`,
  },
  check(statement: LintStatement) {
    return existingTableCommands(statement).flatMap(({ table, cmd }) => {
      if (cmd.subtype !== 'AT_AddColumn' || !cmd.def || !('ColumnDef' in cmd.def)) return [];
      const column = cmd.def.ColumnDef;
      const kinds = new Set((column.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint.contype] : [])));
      const type = column.typeName?.names?.at(-1);
      const serial = !!type && 'String' in type && SERIAL_TYPES.has(type.String.sval ?? '');
      const filled = serial || kinds.has('CONSTR_DEFAULT') || kinds.has('CONSTR_IDENTITY') || kinds.has('CONSTR_GENERATED');
      const notNull = kinds.has('CONSTR_NOTNULL') || kinds.has('CONSTR_PRIMARY');
      return notNull && !filled ? [this.messages.added!(table, column.colname ?? '?')] : [];
    });
  },
};
