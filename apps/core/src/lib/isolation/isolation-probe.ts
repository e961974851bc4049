import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../database/sql-client.ts';
import { APP_ROLE, WORKSPACE_SETTING } from './isolation-settings.ts';
import { quoteIdent } from './quote-ident.ts';

/** A relation through which the probe saw rows it must not see, or that it could not read. */
export interface ProbeFinding {
  readonly relation: string;
  readonly packageName: string;
  /** Rows visible to a workspace that has none, or with no workspace set. */
  readonly visibleRows: number;
  readonly workspaceSet: boolean;
  /**
   * The setting was never set in the probe's transaction: what it read was the database's, the
   * role's or the session's default (`ALTER DATABASE … SET ydtb.workspace_id`), if any.
   */
  readonly settingAbsent?: boolean;
  readonly error?: string;
}

export interface ProbeTarget {
  readonly relation: string;
  readonly packageName: string;
}

/**
 * Proves isolation in the database itself: inside transactions that are always rolled back, as
 * the application role, for a workspace that exists nowhere, then with the setting set to `''`,
 * then with the setting never set in the transaction (so a database-, role- or session-level
 * default for it shows; read only when a default gives it a value), every package table and view
 * must return no row at all. Any row is one of another workspace.
 */
export async function probeIsolation(client: SqlClient, candidates: readonly ProbeTarget[]): Promise<ProbeFinding[]> {
  // A relation that does not exist is reported by the catalog check, not here.
  const existing = new Set(
    (await client.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[])`, [
      candidates.map((t) => t.relation),
    ])).map((r) => r.name),
  );
  const targets = candidates.filter((t) => existing.has(t.relation));
  if (targets.length === 0) return [];
  const findings: ProbeFinding[] = [];
  const rollback = new Error('probe done');
  // A transaction a chunk: each relation read keeps its lock to the end of the transaction, and
  // thousands of them at once exhaust the server's lock table ("out of shared memory").
  for (const workspace of [`ydtb_probe_${randomUUID()}`, '', undefined]) {
    // No default (NULL or ''): the verified policy reads NULLIF(current_setting(…, true), ''), so
    // the absent pass would see what the '' pass saw; only a default is worth reading every relation for.
    if (workspace === undefined && !(await settingDefault(client))) continue;
    for (let start = 0; start < targets.length; start += CHUNK) {
      try {
        await client.transaction(async (tx) => {
          await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
          if (workspace !== undefined) await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, workspace]);
          const found = await probeChunk(tx, targets.slice(start, start + CHUNK), Boolean(workspace));
          // With the setting absent, a relation the '' pass already named is not named twice.
          const seenEmpty = new Set(findings.filter((f) => !f.workspaceSet).map((f) => f.relation));
          findings.push(...(workspace === undefined ? found.filter((f) => !seenEmpty.has(f.relation)).map((f) => ({ ...f, settingAbsent: true })) : found));
          throw rollback;
        });
      } catch (error) {
        if (error !== rollback) throw error;
      }
    }
  }
  return findings;
}

/** The workspace setting as a session of this connection starts with it (its database, role or session default), outside any transaction's own setting. */
async function settingDefault(client: SqlClient): Promise<string | null> {
  const [row] = await client.query<{ value: string | null }>(`SELECT current_setting($1, true) AS value`, [WORKSPACE_SETTING]);
  return row?.value || null;
}

/** Relations probed per query: planning a union of a thousand subqueries costs more than ten of a hundred. */
const CHUNK = 100;

/** EXISTS for each relation of a chunk in one query; where it fails (a relation the role may not read), one savepoint each to name it. */
async function probeChunk(tx: SqlClient, chunk: readonly ProbeTarget[], workspaceSet: boolean): Promise<ProbeFinding[]> {
  const findings: ProbeFinding[] = [];
  const union = chunk.map((t, i) => `SELECT ${i} AS i, EXISTS (SELECT 1 FROM ${quoteIdent(t.relation)}) AS seen`).join('\nUNION ALL ');
  await tx.exec('SAVEPOINT ydtb_probe');
  let rows: { i: number; seen: boolean }[] | undefined;
  try {
    rows = await tx.query<{ i: number; seen: boolean }>(union);
    await tx.exec('RELEASE SAVEPOINT ydtb_probe');
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT ydtb_probe');
  }
  const suspects = rows ? rows.filter((r) => r.seen).map((r) => chunk[r.i]!) : chunk;
  for (const target of suspects) {
    const finding = await probeOne(tx, target, workspaceSet);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** How many rows one relation shows (up to a thousand), or why it cannot be read. */
async function probeOne(tx: SqlClient, target: ProbeTarget, workspaceSet: boolean): Promise<ProbeFinding | undefined> {
  await tx.exec('SAVEPOINT ydtb_probe');
  try {
    const [row] = await tx.query<{ n: number }>(`SELECT ${countSql(target.relation)} AS n`);
    await tx.exec('RELEASE SAVEPOINT ydtb_probe');
    return (row?.n ?? 0) > 0 ? { ...target, visibleRows: row!.n, workspaceSet } : undefined;
  } catch (error) {
    await tx.exec('ROLLBACK TO SAVEPOINT ydtb_probe');
    return { ...target, visibleRows: 0, workspaceSet, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Any row is a finding: counting up to a thousand says how bad without reading a big table whole. */
function countSql(relation: string): string {
  return `(SELECT count(*) FROM (SELECT 1 FROM ${quoteIdent(relation)} LIMIT 1000) AS probe)::int`;
}

export function describeProbeFinding(finding: ProbeFinding): string {
  const as = finding.workspaceSet
    ? 'a workspace that has no rows'
    : finding.settingAbsent
      ? `${WORKSPACE_SETTING} never set in its transaction (so a database-, role- or session-level default for it applies: look for ALTER DATABASE … SET or ALTER ROLE … SET ${WORKSPACE_SETTING} and RESET it)`
      : 'no workspace set';
  if (finding.error) return `The isolation probe could not read "${finding.relation}" of ${finding.packageName} as ${APP_ROLE}: ${finding.error}.`;
  return `The isolation probe, as ${APP_ROLE} with ${as}, saw ${finding.visibleRows >= 1000 ? 'at least 1000' : finding.visibleRows} rows of other workspaces through "${finding.relation}" of ${finding.packageName}.`;
}
