import type { AlterTableCmd, Node, RangeVar, TypeName } from 'libpg-query';

/** One top-level statement of a migration, as a safety rule reads it. */
export interface LintStatement {
  readonly stmt: Node;
  /** The statement's first words, for messages: `DROP TABLE "ydtb_crm_notes"`. */
  readonly shown: string;
  /** Tables created earlier in the same migration: changing them locks or loses nothing. */
  readonly createdTables: ReadonlySet<string>;
  /** The migration declares `-- ydtb:no-transaction`. */
  readonly noTransaction: boolean;
  /**
   * The type of each column (`table.column` → `varchar(256)`, `text`, `int4`…) as the package's
   * earlier migrations and this one's earlier statements declare it; a column missing is unknown.
   */
  readonly columnTypes?: ReadonlyMap<string, string>;
}

/**
 * A safety rule of the migration lint: finds statements that lose data, lock a table for
 * long or weaken row-level security. Errors stop `ydtb db migrate` unless the migration
 * declares `-- ydtb:allow <id> <reason>`; warnings are reported and never block.
 */
export interface MigrationLintRule {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly description: string;
  readonly hint: string;
  readonly messages: Readonly<Record<string, (...args: string[]) => string>>;
  /** The messages of what the statement does wrong; empty when it is fine. */
  check(statement: LintStatement): string[];
}

/** The table a statement names, without its schema (package tables live in one schema). */
export function tableOf(relation: RangeVar | undefined): string {
  return relation?.relname ?? '';
}

/** Whether the table existed before this migration: it may hold rows and be in use. */
export function isExisting(statement: LintStatement, relation: RangeVar | undefined): boolean {
  return !statement.createdTables.has(tableOf(relation));
}

/** The commands of an `ALTER TABLE`, new table or not. */
export function alterTableCommands(stmt: Node): { table: string; cmd: AlterTableCmd }[] {
  if (!('AlterTableStmt' in stmt) || stmt.AlterTableStmt.objtype !== 'OBJECT_TABLE') return [];
  const { relation, cmds = [] } = stmt.AlterTableStmt;
  return cmds.flatMap((node) => ('AlterTableCmd' in node ? [{ table: tableOf(relation), cmd: node.AlterTableCmd }] : []));
}

/** The commands of an `ALTER TABLE` on a table that existed before the migration; none otherwise. */
export function existingTableCommands(statement: LintStatement): { table: string; cmd: AlterTableCmd }[] {
  const { stmt } = statement;
  return 'AlterTableStmt' in stmt && isExisting(statement, stmt.AlterTableStmt.relation) ? alterTableCommands(stmt) : [];
}

/** The names a `DROP` statement lists, dotted: `public.ydtb_crm_notes`, `ydtb_crm_notes.policy`. */
export function droppedNames(stmt: Node, removeType: string): string[] {
  if (!('DropStmt' in stmt) || stmt.DropStmt.removeType !== removeType) return [];
  return (stmt.DropStmt.objects ?? []).map((object) =>
    'List' in object ? (object.List.items ?? []).map((item) => ('String' in item ? item.String.sval : '?')).join('.') : '?',
  );
}

/** A type as the parser reads it, for comparing: `varchar(256)`, `varchar`, `text`, `int4`, `numeric(10,2)`, `text[]`. */
export function typeNameOf(typeName: TypeName): string {
  const names = (typeName.names ?? []).flatMap((n) => ('String' in n && n.String.sval ? [n.String.sval] : []));
  const name = names.filter((n) => n !== 'pg_catalog').join('.');
  const mods = (typeName.typmods ?? []).map((m) => ('A_Const' in m && m.A_Const.ival ? String(m.A_Const.ival.ival ?? 0) : '?'));
  return `${name}${mods.length ? `(${mods.join(',')})` : ''}${typeName.arrayBounds?.length ? '[]' : ''}`;
}
