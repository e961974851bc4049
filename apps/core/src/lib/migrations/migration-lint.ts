import type { Node, RawStmt } from 'libpg-query';
import { noTransactionFindings } from './no-transaction-lint.ts';
import { readDirectives, type MigrationDirectives } from './migration-directives.ts';
import type { MigrationPlan } from './migration-plan.ts';
import { MIGRATION_RULES } from './migration-rule-ids.ts';
import { bodyOf, bodyParts, type Parsers } from './plpgsql-bodies.ts';
import { controlOf, nestedControls, type Control } from './session-control.ts';
import { alterTableCommands, typeNameOf, type MigrationLintRule } from './lint-rule.ts';
import type { RegisteredPackage } from '../../types/database-registry.ts';

/** Something in a migration's SQL the pipeline refuses to run. */
export interface MigrationFinding {
  readonly rule: string;
  /** Errors stop `ydtb db migrate`; warnings are reported and never block. */
  readonly severity: 'error' | 'warning';
  readonly packageName: string;
  /** The migration id: the file name without `.sql`. */
  readonly migration: string;
  /** 1-based line in the migration file. */
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

/** The migrations of one package, as the linter reads them. */
export interface PackageMigrations {
  readonly packageName: string;
  readonly migrations: readonly { readonly id: string; readonly sql: string }[];
  /** The package's migrations before these (applied ones): not linted, read for the column types they declare. */
  readonly earlier?: readonly { readonly sql: string }[];
}

export { MIGRATION_RULES };

/**
 * Reads every migration with PostgreSQL's own parser and reports, with package, migration and
 * line, the statements that would break the pipeline's guarantees: transaction control (a
 * package's migrations and their history rows run in one transaction), changes of the session's
 * role or state (the migrator must stay the role that owns what it creates, in the schema it
 * verifies) and changes to the database beyond the package (roles, database and role settings,
 * schemas, event triggers), then what the safety rules (LINT_RULES, lint-rules.ts) find: lost
 * data, long locks, weakened security. A safety finding is dropped when the migration declares
 * `-- ydtb:allow <rule> <reason>`; an allow that matches nothing, or a directive that cannot be
 * read, is a finding itself.
 *
 * The control rules read bodies too: what a DO block, a function or a procedure runs (PL/pgSQL
 * with PostgreSQL's PL/pgSQL parser, SQL bodies with its SQL parser), strings EXECUTE runs when
 * they are literal, and set_config calls anywhere. This is the second wall on PostgreSQL (the
 * package's role is refused all of it by the database) and the only one on PGlite, whose one
 * superuser the migrator can always return to. What the parser cannot read (a string built at
 * run time, a body in another language) is a warning naming that limit (ydtb/migration-dynamic-sql).
 */
export async function lintMigrations(packages: readonly PackageMigrations[]): Promise<MigrationFinding[]> {
  if (packages.every((p) => p.migrations.length === 0)) return [];
  // The parser is WebAssembly and the rules are many modules: loaded only when there is SQL to read
  // (a migrate with nothing pending has none), once per process.
  const [{ loadModule, parseSync, parsePlPgSQLSync }, { LINT_RULES }] = await Promise.all([import('libpg-query'), import('./lint-rules.ts')]);
  await loadModule();
  const parsers: Parsers = { parseSync, parsePlPgSQLSync };
  return packages.flatMap(({ packageName, migrations, earlier = [] }) => {
    const columnTypes = new Map<string, string>();
    for (const { sql } of earlier) {
      try {
        for (const raw of parsers.parseSync(sql).stmts ?? []) if (raw.stmt) trackColumnTypes(raw.stmt, columnTypes);
      } catch {
        // An applied migration that no longer parses declares nothing the lint can use.
      }
    }
    return migrations.flatMap((migration) => lintSql(parsers, LINT_RULES, migration.sql, columnTypes).map((f) => ({ ...f, packageName, migration: migration.id })));
  });
}

/**
 * The findings of a plan's pending migrations: what `migrate` would run. Applied ones are
 * history, read only for the column types they declare (from `packages`, when given).
 */
export function lintPending(plan: MigrationPlan, packages: readonly RegisteredPackage[]): Promise<MigrationFinding[]> {
  const shipped = new Map(packages.map((p) => [p.registration.packageName, p.registration.migrations ?? []]));
  return lintMigrations(
    plan.packages.map((p) => {
      const applied = new Set(p.applied);
      const earlier = (shipped.get(p.packageName) ?? []).filter((m) => applied.has(m.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
      return { packageName: p.packageName, migrations: p.pending, earlier: earlier.map((m) => ({ sql: 'up' in m ? m.up : m.sql })) };
    }),
  );
}

type Finding = Omit<MigrationFinding, 'packageName' | 'migration'>;

function lintSql(parsers: Parsers, rules: readonly MigrationLintRule[], sql: string, columnTypes = new Map<string, string>()): Finding[] {
  const bytes = Buffer.from(sql, 'utf8');
  const lineAt = lineIndex(bytes);
  let statements;
  try {
    statements = parsers.parseSync(sql).stmts ?? [];
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : 'unparseable SQL');
    return [
      {
        rule: MIGRATION_RULES.syntax,
        severity: 'error',
        line: lineAt(details?.cursorPosition ?? 0),
        message: `The SQL does not parse: ${message}.`,
        hint: 'Fix the statement; migrations are generated by `ydtb db generate <package>` and run as written.',
      },
    ];
  }
  const directives = readDirectives(sql);
  const createdTables = new Set<string>();
  const findings: Finding[] = [];
  const source: Source = { bytes, lineAt, mayCallSetConfig: mayCallSetConfig(sql) };
  for (const raw of statements) {
    const offset = raw.stmt_location ?? 0;
    const line = lineAt(offset);
    const shown = firstWords(bytes.subarray(offset, offset + (raw.stmt_len || bytes.length)));
    if (!raw.stmt) continue;
    findings.push(...controlFindings(parsers, source, raw, { where: '', depth: 0 }));
    const statement = { stmt: raw.stmt, shown, createdTables, noTransaction: directives.noTransaction, columnTypes };
    for (const rule of rules) {
      for (const message of rule.check(statement)) findings.push({ rule: rule.id, severity: rule.severity, line, message, hint: rule.hint });
    }
    trackCreatedTables(raw.stmt, createdTables);
    trackColumnTypes(raw.stmt, columnTypes);
  }
  return applyDirectives([...findings, ...noTransactionFindings(sql, statements, lineAt)], directives, sql, rules);
}

/** SQL the lint reads: a migration file, or SQL found in a body, with the line each byte is on in the file. */
interface Source {
  readonly bytes: Buffer;
  readonly lineAt: (byteOffset: number) => number;
  /** False when the text cannot name set_config: its statements' trees need not be walked for it. */
  readonly mayCallSetConfig: boolean;
}

/** Whether SQL text can call set_config: by name, quoted or not, or spelled with U& escapes. */
function mayCallSetConfig(sql: string): boolean {
  return /set_config|u&/i.test(sql);
}

/** SQL text that starts on `firstLine` of the file. */
function sourceAt(sql: string, firstLine: number): Source {
  const bytes = Buffer.from(sql, 'utf8');
  const lineAt = lineIndex(bytes);
  return { bytes, lineAt: (offset) => firstLine + lineAt(offset) - 1, mayCallSetConfig: mayCallSetConfig(sql) };
}

/** Where a statement was found, for messages: `` for a top-level one; bodies in bodies are read this deep at most. */
interface Context {
  readonly where: string;
  readonly depth: number;
}

const MAX_DEPTH = 8;

/**
 * Transaction, role, session and database-wide control in one statement: the statement itself,
 * set_config calls and function SET clauses in its tree, and, for a DO block or a function or
 * procedure, everything its body runs (read with PostgreSQL's PL/pgSQL parser, and again for any
 * body inside it). Only those statements have their bodies parsed.
 */
function controlFindings(parsers: Parsers, source: Source, raw: RawStmt, context: Context): Finding[] {
  const stmt = raw.stmt!;
  const offset = raw.stmt_location ?? 0;
  const text = source.bytes.subarray(offset, offset + (raw.stmt_len || source.bytes.length));
  const line = source.lineAt(offset);
  const shown = firstWords(text);
  const finding = (control: Control, at = line): Finding => ({ ...control, line: at, message: context.where ? `${context.where}: ${control.message}` : control.message });
  const own = controlOf(stmt, shown);
  if (own) return [finding(own)];
  const findings = nestedControls(stmt, shown, source.mayCallSetConfig).map((control) => finding(control));
  const body = bodyOf(stmt);
  if (!body) return findings;
  const bodyLine = body.location === undefined ? line : source.lineAt(openingQuote(source.bytes, body.location));
  const inside: Context = { where: `Inside ${body.what}`, depth: context.depth + 1 };
  if (inside.depth > MAX_DEPTH) {
    return [...findings, { ...unreadable(`${body.what} is nested more than ${MAX_DEPTH} bodies deep`), line: bodyLine }];
  }
  for (const bodyStmt of body.statements) {
    findings.push(...controlFindings(parsers, source, { stmt: bodyStmt, stmt_location: offset, ...(raw.stmt_len === undefined ? {} : { stmt_len: raw.stmt_len }) }, inside));
  }
  for (const part of bodyParts(parsers, body, text.toString('utf8'))) {
    const at = bodyLine + part.line - 1;
    if (part.kind === 'transaction') {
      const control = controlOf({ TransactionStmt: {} }, part.shown)!;
      findings.push({ ...control, line: at, message: `${inside.where}: ${control.message}` });
    } else if (part.kind === 'unreadable') {
      findings.push({ ...unreadable(part.reason), line: at });
    } else {
      const executed = part.kind === 'executed' ? { where: `In the string EXECUTE runs inside ${body.what}`, depth: inside.depth } : inside;
      findings.push(...sqlFindings(parsers, sourceAt(part.sql, at), executed));
    }
  }
  return findings;
}

/** The control findings of SQL found in a body: its statements, each read like a top-level one. */
function sqlFindings(parsers: Parsers, source: Source, context: Context): Finding[] {
  let statements: RawStmt[];
  try {
    statements = parsers.parseSync(source.bytes.toString('utf8')).stmts ?? [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ ...unreadable(`${context.where}, SQL does not parse (${message})`), line: source.lineAt(0) }];
  }
  return statements.flatMap((raw) => (raw.stmt ? controlFindings(parsers, source, raw, context) : []));
}

/** A warning for code the lint cannot read, naming the limit and who enforces it instead. */
function unreadable(reason: string): Control {
  return {
    rule: MIGRATION_RULES.dynamicSql,
    severity: 'warning',
    message: `${reason[0]!.toUpperCase()}${reason.slice(1)}, so it is not checked for role, session or transaction control. On PostgreSQL the package's role is refused those by the database; on PGlite (one superuser) nothing else stops them.`,
    hint: 'Write the SQL out as plain statements, or EXECUTE a literal string; build a string at run time only for names the migration cannot know (quote them with format(\'%I\')), and review it.',
  };
}

/** The opening quote of a body string at or after `from` (`AS` may come first): where the body's line 1 is. */
function openingQuote(bytes: Buffer, from: number): number {
  for (let i = Math.max(from, 0); i < bytes.length; i++) {
    if (bytes[i] === 0x24 || bytes[i] === 0x27) return i;
  }
  return from;
}

/** Safety findings the migration allows are dropped; allows that match none, and unreadable directives, are findings. */
function applyDirectives(findings: Finding[], directives: MigrationDirectives, sql: string, rules: readonly MigrationLintRule[]): Finding[] {
  const allowable = new Set(rules.map((rule) => rule.id));
  const used = new Set<string>();
  const kept = findings.filter((finding) => {
    if (!allowable.has(finding.rule) || !directives.allows.has(finding.rule)) return true;
    used.add(finding.rule);
    return false;
  });
  const problems: Finding[] = directives.problems.map(({ line, message }) => ({
    rule: MIGRATION_RULES.directive,
    severity: 'error',
    line,
    message: `The directive cannot be read: ${message}.`,
    hint: 'Write directives as whole comment lines: -- ydtb:allow <rule id> <reason why it is safe here>, or -- ydtb:no-transaction.',
  }));
  for (const rule of directives.allows.keys()) {
    if (used.has(rule)) continue;
    const line = allowLine(sql, rule);
    if (!allowable.has(rule)) {
      problems.push({
        rule: MIGRATION_RULES.directive,
        severity: 'error',
        line,
        message: `"-- ydtb:allow ${rule}" names no safety rule that can be allowed.`,
        hint: `Use the id of one of the safety rules: ${[...allowable].join(', ')}. Transaction, role, session and database control cannot be allowed.`,
      });
    } else {
      problems.push({
        rule: MIGRATION_RULES.unusedAllow,
        severity: 'error',
        line,
        message: `"-- ydtb:allow ${rule}" allows a finding this migration does not have.`,
        hint: 'Remove the directive: an allow documents an exception the migration really makes, nothing else.',
      });
    }
  }
  return [...kept, ...problems].sort((a, b) => a.line - b.line);
}

/** The line of the allow directive for a rule (1-based). */
function allowLine(sql: string, rule: string): number {
  const index = sql.split('\n').findIndex((text) => {
    const words = text.trim().replace(/^--\s*/, '').split(/\s+/);
    return words[0] === 'ydtb:allow' && words[1] === rule;
  });
  return index + 1;
}

/** Tables the migration creates: later changes to them touch no existing rows. */
/** Records the column types a statement declares (CREATE TABLE, ADD COLUMN, ALTER COLUMN … TYPE), by `table.column`. */
function trackColumnTypes(stmt: Node, types: Map<string, string>): void {
  if ('CreateStmt' in stmt) {
    const table = stmt.CreateStmt.relation?.relname ?? '';
    for (const element of stmt.CreateStmt.tableElts ?? []) {
      if ('ColumnDef' in element && element.ColumnDef.colname && element.ColumnDef.typeName) types.set(`${table}.${element.ColumnDef.colname}`, typeNameOf(element.ColumnDef.typeName));
    }
  }
  for (const { table, cmd } of alterTableCommands(stmt)) {
    const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined;
    if (!def?.typeName) continue;
    if (cmd.subtype === 'AT_AddColumn' && def.colname) types.set(`${table}.${def.colname}`, typeNameOf(def.typeName));
    if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) types.set(`${table}.${cmd.name}`, typeNameOf(def.typeName));
  }
}

function trackCreatedTables(stmt: Node, created: Set<string>): void {
  if ('CreateStmt' in stmt && stmt.CreateStmt.relation?.relname) created.add(stmt.CreateStmt.relation.relname);
  if ('CreateTableAsStmt' in stmt && stmt.CreateTableAsStmt.into?.rel?.relname) created.add(stmt.CreateTableAsStmt.into.rel.relname);
  if ('RenameStmt' in stmt && stmt.RenameStmt.renameType === 'OBJECT_TABLE') {
    const from = stmt.RenameStmt.relation?.relname;
    if (from && created.delete(from) && stmt.RenameStmt.newname) created.add(stmt.RenameStmt.newname);
  }
  if ('DropStmt' in stmt && stmt.DropStmt.removeType === 'OBJECT_TABLE') {
    for (const object of stmt.DropStmt.objects ?? []) {
      const last = 'List' in object ? object.List.items?.at(-1) : undefined;
      if (last && 'String' in last && last.String.sval) created.delete(last.String.sval);
    }
  }
}

/**
 * The statement's first words, for the message: `SET LOCAL ROLE admin`, `COMMIT`. Only its start
 * is decoded: once a fifth word has begun, the first four are whole (a long statement is not
 * turned into a string for four words).
 */
function firstWords(statement: Buffer): string {
  const head = statement.subarray(0, 256).toString('utf8').trim().split(/\s+/);
  const words = (head.length > 4 || statement.length <= 256 ? head : statement.toString('utf8').trim().split(/\s+/)).slice(0, 4).join(' ');
  return words.length > 40 ? `${words.slice(0, 40)}…` : words;
}

/** The 1-based line of a byte offset, by binary search over the newlines (found once a file). */
function lineIndex(bytes: Buffer): (byteOffset: number) => number {
  const newlines: number[] = [];
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) newlines.push(i);
  return (byteOffset) => {
    const end = Math.min(Math.max(byteOffset, 0), bytes.length);
    // Newlines before `end`: the first index whose offset is >= end.
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (newlines[middle]! < end) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  };
}
