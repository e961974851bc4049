import type { Node, ParseResult } from 'libpg-query';
import { constantString } from './session-control.ts';

/** libpg-query's parsers the bodies are read with (loaded once, by the lint). */
export interface Parsers {
  parseSync(sql: string): ParseResult;
  parsePlPgSQLSync(sql: string): unknown;
}

/** The code a statement carries, to run now (a DO block) or whenever it is called (a function, a procedure). */
export interface Body {
  /** For messages: `the DO block`, `the function ydtb_alpha_f`. */
  readonly what: string;
  readonly language: string;
  /** The body as a string; undefined when it is written `BEGIN ATOMIC … END` (then `statements` holds it, parsed). */
  readonly text: string | undefined;
  readonly statements: readonly Node[];
  /** Byte offset, in the SQL the statement was parsed from, at or just before the body's opening quote. */
  readonly location: number | undefined;
}

/** What a body runs, for the lint to check like any statement. Lines are relative to the body's first line (1). */
export type BodyPart =
  /** SQL the body runs: statements, or `SELECT <expression>` for an expression that calls set_config. */
  | { readonly kind: 'sql'; readonly sql: string; readonly line: number }
  /** A string literal `EXECUTE` runs: SQL as well, but it may not parse (PostgreSQL would fail on it when run). */
  | { readonly kind: 'executed'; readonly sql: string; readonly line: number }
  /** `COMMIT` or `ROLLBACK` of PL/pgSQL. */
  | { readonly kind: 'transaction'; readonly shown: string; readonly line: number }
  /** What the lint cannot read: a string built at run time, a body in another language, PL/pgSQL that does not parse. */
  | { readonly kind: 'unreadable'; readonly reason: string; readonly line: number };

/** The body of a DO block or of a CREATE FUNCTION / CREATE PROCEDURE; undefined for any other statement. */
export function bodyOf(stmt: Node): Body | undefined {
  if ('DoStmt' in stmt) {
    let language = 'plpgsql';
    let text: string | undefined;
    let location: number | undefined;
    for (const arg of stmt.DoStmt.args ?? []) {
      if (!('DefElem' in arg)) continue;
      const { defname, arg: value } = arg.DefElem;
      const string = value && 'String' in value ? value.String.sval ?? '' : undefined;
      if (defname === 'language' && string !== undefined) language = string.toLowerCase();
      if (defname === 'as') {
        text = string;
        location = arg.DefElem.location;
      }
    }
    return { what: 'the DO block', language, text, statements: [], location };
  }
  if ('CreateFunctionStmt' in stmt) {
    const fn = stmt.CreateFunctionStmt;
    const name = (fn.funcname ?? []).map((n) => ('String' in n ? n.String.sval : '?')).join('.');
    let language = fn.sql_body ? 'sql' : '';
    let text: string | undefined;
    let location: number | undefined;
    for (const option of fn.options ?? []) {
      if (!('DefElem' in option)) continue;
      const { defname, arg } = option.DefElem;
      if (defname === 'language' && arg && 'String' in arg) language = (arg.String.sval ?? '').toLowerCase();
      if (defname === 'as' && arg && 'List' in arg) {
        const first = arg.List.items?.[0];
        text = first && 'String' in first ? first.String.sval ?? '' : undefined;
        location = option.DefElem.location;
      }
    }
    const statements = bodyStatements(fn.sql_body);
    return { what: `the ${fn.is_procedure ? 'procedure' : 'function'} ${name}`, language, text, statements, location };
  }
  return undefined;
}

/** `BEGIN ATOMIC a; b; END` is a list holding the list of its statements. */
function bodyStatements(sqlBody: Node | undefined): Node[] {
  if (!sqlBody || !('List' in sqlBody)) return [];
  return (sqlBody.List.items ?? []).flatMap((item) => ('List' in item ? (item.List.items ?? []) : [item]));
}

/**
 * What a body runs. `statementSql` is the whole statement (libpg-query reads PL/pgSQL from the
 * CREATE FUNCTION or DO statement itself, and gives lines from the body's start). PL/pgSQL is
 * parsed by PostgreSQL's own PL/pgSQL parser: every SQL statement, every `PERFORM`, every
 * `EXECUTE` (a literal string is read like any SQL; any other is unreadable), `COMMIT` and
 * `ROLLBACK`, and every expression that names set_config.
 */
export function bodyParts(parsers: Parsers, body: Body, statementSql: string): BodyPart[] {
  if (body.language === 'sql') return body.text === undefined ? [] : [{ kind: 'sql', sql: body.text, line: 1 }];
  if (body.language !== 'plpgsql') {
    return [{ kind: 'unreadable', line: 1, reason: `${body.what} is written in ${body.language || 'an unknown language'}; the lint reads PL/pgSQL and SQL only` }];
  }
  let parsed: unknown;
  try {
    parsed = parsers.parsePlPgSQLSync(statementSql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ kind: 'unreadable', line: 1, reason: `the PL/pgSQL of ${body.what} does not parse (${message})` }];
  }
  const parts: BodyPart[] = [];
  const functions = (parsed as { plpgsql_funcs?: unknown[] }).plpgsql_funcs ?? [];
  for (const fn of functions) walk(fn, 1, undefined, (expr, line, dynamic) => parts.push(...expressionParts(parsers, body.what, expr, line, dynamic)), parts);
  return parts;
}

/** The field of a PL/pgSQL statement that holds a string to run rather than SQL, and how the statement is written. */
const DYNAMIC: Readonly<Record<string, { readonly field: string; readonly shown: string }>> = {
  PLpgSQL_stmt_dynexecute: { field: 'query', shown: 'EXECUTE' },
  PLpgSQL_stmt_dynfors: { field: 'query', shown: 'FOR … IN EXECUTE' },
  PLpgSQL_stmt_return_query: { field: 'dynquery', shown: 'RETURN QUERY EXECUTE' },
  PLpgSQL_stmt_open: { field: 'dynquery', shown: 'OPEN … FOR EXECUTE' },
};

interface Expr {
  readonly query?: string;
  readonly parseMode?: number;
}

type OnExpression = (expr: Expr, line: number, dynamic: string | undefined) => void;

/**
 * Walks the PL/pgSQL tree ({ PLpgSQL_stmt_x: { lineno, …fields } } nodes), calling `onExpression`
 * with every PLpgSQL_expr and the line of the statement that holds it; `dynamic` is the
 * statement (`EXECUTE`…) when the expression is the string it runs.
 */
function walk(value: unknown, line: number, dynamic: string | undefined, onExpression: OnExpression, parts: BodyPart[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, line, undefined, onExpression, parts);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, node] of Object.entries(value)) {
    if (node === null || typeof node !== 'object') continue;
    const fields = node as Record<string, unknown>;
    const at = typeof fields.lineno === 'number' && fields.lineno > 0 ? fields.lineno : line;
    if (key === 'PLpgSQL_expr') {
      onExpression(fields as Expr, line, dynamic);
      continue;
    }
    if (key === 'PLpgSQL_stmt_commit' || key === 'PLpgSQL_stmt_rollback') {
      parts.push({ kind: 'transaction', shown: `${key === 'PLpgSQL_stmt_commit' ? 'COMMIT' : 'ROLLBACK'}${fields.chain ? ' AND CHAIN' : ''}`, line: at });
      continue;
    }
    if (Array.isArray(node)) {
      walk(node, line, undefined, onExpression, parts);
      continue;
    }
    for (const [field, child] of Object.entries(fields)) {
      walk(child, at, DYNAMIC[key]?.field === field ? DYNAMIC[key].shown : undefined, onExpression, parts);
    }
  }
}

/** `x := expr` (or `x = expr`): PostgreSQL parses the target and the expression together; the lint needs the expression. */
const ASSIGNMENT = /^[^:=]*?(?::=|=)/;

function expressionParts(parsers: Parsers, what: string, expr: Expr, line: number, dynamic: string | undefined): BodyPart[] {
  const query = expr.query ?? '';
  if (dynamic) {
    const literal = literalOf(parsers, query);
    if (literal !== undefined) return [{ kind: 'executed', sql: literal, line }];
    return [
      {
        kind: 'unreadable',
        line,
        reason: `${dynamic} in ${what} runs a string built when it runs (${query.length > 60 ? `${query.slice(0, 60)}…` : query}); the lint can read only a literal string`,
      },
    ];
  }
  if (!expr.parseMode) return [{ kind: 'sql', sql: query, line }];
  // An expression can change the session only by calling set_config (U& spells a name in escapes).
  if (!/set_config|u&/i.test(query)) return [];
  const value = expr.parseMode >= 3 ? query.replace(ASSIGNMENT, '') : query;
  return [{ kind: 'sql', sql: `SELECT ${value}`, line }];
}

/** The string an `EXECUTE` expression is when it is written as constants only; undefined otherwise. */
function literalOf(parsers: Parsers, expression: string): string | undefined {
  try {
    const stmt = parsers.parseSync(`SELECT ${expression}`).stmts?.[0]?.stmt;
    if (!stmt || !('SelectStmt' in stmt)) return undefined;
    const targets = stmt.SelectStmt.targetList ?? [];
    const target = targets.length === 1 ? targets[0] : undefined;
    return target && 'ResTarget' in target ? constantString(target.ResTarget.val) : undefined;
  } catch {
    return undefined;
  }
}
