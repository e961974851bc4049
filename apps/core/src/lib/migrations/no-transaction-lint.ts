import type { Node, RawStmt } from 'libpg-query';
import type { MigrationFinding } from './migration-lint.ts';
import { readDirectives } from './migration-directives.ts';

export const NO_TRANSACTION_RULE = 'ydtb/migration-no-transaction';

type Finding = Omit<MigrationFinding, 'packageName' | 'migration'>;

const ALONE_HINT =
  'Put the statement alone in its own migration file whose first line is `-- ydtb:no-transaction`; the statements that can run in a transaction stay in ordinary migrations.';

/**
 * A migration headed `-- ydtb:no-transaction` runs outside any transaction, so it holds exactly
 * one statement (a failure in the middle of several would leave some applied and none recorded),
 * never a DO block or a CALL (outside a transaction, their code may COMMIT midway), and an index it creates is named (a rerun finds and drops the invalid index a failed
 * `CREATE INDEX CONCURRENTLY` leaves by its name). A migration without the header must not hold a
 * statement PostgreSQL refuses inside a transaction block: it would fail half-way at run time.
 */
export function noTransactionFindings(sql: string, statements: readonly RawStmt[], lineAt: (byteOffset: number) => number): Finding[] {
  const finding = (line: number, message: string, hint: string): Finding => ({ rule: NO_TRANSACTION_RULE, severity: 'error', line, message, hint });
  if (!readDirectives(sql).noTransaction) {
    return statements.flatMap((raw) => {
      const what = refusedInTransaction(raw.stmt);
      return what
        ? [finding(lineAt(raw.stmt_location ?? 0), `${what} cannot run inside the package's transaction: PostgreSQL refuses it in a transaction block.`, ALONE_HINT)]
        : [];
    });
  }
  if (statements.length !== 1) {
    const line = statements.length ? lineAt(statements[1]!.stmt_location ?? 0) : 1;
    return [
      finding(
        line,
        `A migration headed \`-- ydtb:no-transaction\` holds exactly one statement; this one holds ${statements.length}. Outside a transaction, a failure after the first would leave it applied and not recorded.`,
        'Split it: one file per statement that must run outside a transaction (each headed `-- ydtb:no-transaction`), the others in ordinary migrations.',
      ),
    ];
  }
  const [only] = statements;
  const stmt = only!.stmt;
  const code = stmt && ('DoStmt' in stmt ? 'a DO block' : 'CallStmt' in stmt ? 'a procedure call' : undefined);
  if (code) {
    return [
      finding(
        lineAt(only!.stmt_location ?? 0),
        `A migration headed \`-- ydtb:no-transaction\` runs one plain statement, and this one is ${code}: outside a transaction it can COMMIT midway, leaving what it did before applied, unrecorded and without row-level security, and every rerun failing on it.`,
        'Write what the block does as plain statements in ordinary migrations (each package runs in one transaction); keep in this file only the one statement that cannot run in a transaction, such as CREATE INDEX CONCURRENTLY.',
      ),
    ];
  }
  if (stmt && 'IndexStmt' in stmt && !stmt.IndexStmt.idxname) {
    return [
      finding(
        lineAt(only!.stmt_location ?? 0),
        'The index this migration creates has no name: if a concurrent build fails, PostgreSQL leaves an invalid index that a rerun can only find, and drop, by its name.',
        'Name the index: CREATE INDEX CONCURRENTLY IF NOT EXISTS "<table>_<column>_idx" ON "<table>" (…);',
      ),
    ];
  }
  return [];
}

/** What the statement is, when PostgreSQL refuses it inside a transaction block. */
function refusedInTransaction(stmt: Node | undefined): string | undefined {
  if (!stmt) return undefined;
  if ('IndexStmt' in stmt && stmt.IndexStmt.concurrent) return '"CREATE INDEX CONCURRENTLY"';
  if ('DropStmt' in stmt && stmt.DropStmt.concurrent) return '"DROP INDEX CONCURRENTLY"';
  if ('ReindexStmt' in stmt && stmt.ReindexStmt.params?.some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently')) return '"REINDEX … CONCURRENTLY"';
  if ('VacuumStmt' in stmt && stmt.VacuumStmt.is_vacuumcmd) return '"VACUUM"';
  return undefined;
}
