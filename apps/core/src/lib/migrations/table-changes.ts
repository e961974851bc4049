import { parseStatements } from './parse-statements.ts';
import type { Node } from 'libpg-query';

/** Statements that create, change or drop no table, view, type or sequence: drizzle's snapshot does not hold what they make. */
function changesNoTable(stmt: Node): boolean {
  if ('CreateFunctionStmt' in stmt || 'AlterFunctionStmt' in stmt || 'CreateTrigStmt' in stmt || 'CommentStmt' in stmt) return true;
  // Data: a backfill or a fix changes rows, not the schema.
  if ('InsertStmt' in stmt || 'UpdateStmt' in stmt || 'DeleteStmt' in stmt || 'SelectStmt' in stmt) return true;
  if ('DropStmt' in stmt) return ['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_TRIGGER'].includes(stmt.DropStmt.removeType ?? '');
  if ('RenameStmt' in stmt) return ['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_TRIGGER'].includes(stmt.RenameStmt.renameType ?? '');
  if ('AlterTableStmt' in stmt) {
    // ENABLE/DISABLE TRIGGER is the trigger's business; every other command changes the table.
    return (stmt.AlterTableStmt.cmds ?? []).every((node) => 'AlterTableCmd' in node && /^AT_(Enable|Disable)(Always|Replica)?Trig/.test(node.AlterTableCmd.subtype ?? ''));
  }
  return false;
}

/**
 * The statements of a migration that may change what drizzle-kit's snapshot records (tables,
 * columns, keys, indexes, views, enum types, sequences), with the line each starts on: empty
 * for SQL that only adds functions, triggers, comments or rows, which needs no snapshot of its
 * own. A DO block, or SQL that does not parse, counts as a change: what it runs cannot be told.
 */
export async function tableChangingStatements(sql: string): Promise<{ line: number; shown: string }[]> {
  const statements = await parseStatements(sql);
  if (!statements) return [{ line: 1, shown: 'SQL that does not parse' }];
  const bytes = Buffer.from(sql, 'utf8');
  return statements.flatMap((raw) => {
    if (!raw.stmt || changesNoTable(raw.stmt)) return [];
    const offset = raw.stmt_location ?? 0;
    const text = bytes.subarray(offset, offset + (raw.stmt_len || bytes.length)).toString('utf8');
    const line = bytes.subarray(0, offset).toString('utf8').split('\n').length + leadingNewlines(text);
    return [{ line, shown: text.replace(LEADING, '').replace(/\s+/g, ' ').trim().slice(0, 60) }];
  });
}

/** Blank space and line comments before a statement's first word (its location includes them). */
const LEADING = /^(?:\s|--[^\n]*\n)*/;

function leadingNewlines(text: string): number {
  return (LEADING.exec(text)?.[0].match(/\n/g) ?? []).length;
}
