import { APP_ROLE, WORKSPACE_SETTING, type SqlClient } from '@ydtb/core';

/** The two workspaces the check seeds; their ids cannot clash with a package's own fixtures. */
export const WORKSPACE_A = 'ydtb_test_workspace_a';
export const WORKSPACE_B = 'ydtb_test_workspace_b';

export interface TableUnderTest {
  readonly table: string;
  readonly workspaceColumn: string;
}

export interface TableIsolation {
  readonly table: string;
  readonly rowsOfA: number;
  readonly rowsOfB: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `work` as the application would: as ydtb_app, for one workspace or (null) for none. */
function asApplication<T>(client: SqlClient, workspaceId: string | null, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  return client.transaction(async (tx) => {
    if (workspaceId) await tx.query(`SELECT set_config($1, $2, true)`, [WORKSPACE_SETTING, workspaceId]);
    await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);
    return work(tx);
  });
}

async function count(tx: SqlClient, sql: string, params: readonly unknown[] = []): Promise<number> {
  const [row] = await tx.query<{ n: number }>(sql, params);
  return Number(row?.n ?? 0);
}

/**
 * Checks one table from workspace A's side, with rows of A and B present: A sees exactly its
 * rows, cannot update, delete or insert B's, and with no workspace nothing is visible.
 * Returns the broken promises, described.
 */
export async function checkTable(client: SqlClient, { table, workspaceColumn }: TableUnderTest): Promise<{ isolation: TableIsolation; failures: string[] }> {
  const t = quote(table);
  const ws = quote(workspaceColumn);
  const failures: string[] = [];
  const rowsOf = (workspace: string) => count(client, `SELECT count(*)::int AS n FROM ${t} WHERE ${ws} = $1`, [workspace]);
  const [rowsOfA, rowsOfB] = [await rowsOf(WORKSPACE_A), await rowsOf(WORKSPACE_B)];
  if (rowsOfA === 0 || rowsOfB === 0) failures.push(`${table}: the seed wrote no row for ${rowsOfA === 0 ? WORKSPACE_A : WORKSPACE_B}; seed every table of the package`);

  const seen = await asApplication(client, WORKSPACE_A, (tx) =>
    tx.query<{ mine: number; foreign: number }>(`SELECT count(*) FILTER (WHERE ${ws} = $1)::int AS mine, count(*) FILTER (WHERE ${ws} IS DISTINCT FROM $1)::int AS foreign FROM ${t}`, [WORKSPACE_A]),
  );
  if (seen[0]?.foreign !== 0) failures.push(`${table}: workspace A sees ${seen[0]?.foreign} rows of other workspaces`);
  if (seen[0]?.mine !== rowsOfA) failures.push(`${table}: workspace A sees ${seen[0]?.mine} of its ${rowsOfA} rows`);

  const failure = await insertForeignRow(client, t, ws);
  if (failure) failures.push(`${table}: ${failure}`);

  const changed = await asApplication(client, WORKSPACE_A, async (tx) => ({
    updated: await count(tx, `WITH u AS (UPDATE ${t} SET ${ws} = ${ws} WHERE ${ws} = $1 RETURNING 1) SELECT count(*)::int AS n FROM u`, [WORKSPACE_B]),
    deleted: await count(tx, `WITH d AS (DELETE FROM ${t} WHERE ${ws} = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [WORKSPACE_B]),
  }));
  if (changed.updated !== 0) failures.push(`${table}: workspace A updated ${changed.updated} rows of workspace B`);
  if (changed.deleted !== 0) failures.push(`${table}: workspace A deleted ${changed.deleted} rows of workspace B`);

  const unscoped = await asApplication(client, null, (tx) => count(tx, `SELECT count(*)::int AS n FROM ${t}`));
  if (unscoped !== 0) failures.push(`${table}: with no workspace set, ${unscoped} rows are visible`);

  if ((await rowsOf(WORKSPACE_B)) !== rowsOfB) failures.push(`${table}: rows of workspace B changed while acting as A`);
  return { isolation: { table, rowsOfA, rowsOfB }, failures };
}

/**
 * Tries to insert a copy of one of B's rows while acting as A; PostgreSQL must refuse it with
 * 42501. Policies are checked before keys and foreign keys, so any other error (a duplicate key,
 * say) means the policy let the row through. Generated columns are computed, not copied, and an
 * ALWAYS identity is overridden, so any table the rules accept can be tried.
 */
async function insertForeignRow(client: SqlClient, t: string, ws: string): Promise<string | undefined> {
  // As text both ways: drivers differ in how they read and write json (postgres.js stringifies a json parameter again).
  const [row] = await client.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM ${t} x WHERE ${ws} = $1 LIMIT 1`, [WORKSPACE_B]);
  if (!row) return undefined;
  const columns = (await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [t],
  )).map((c) => quote(c.name)).join(', ');
  try {
    await asApplication(client, WORKSPACE_A, (tx) =>
      tx.query(`INSERT INTO ${t} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_record(NULL::${t}, $1::text::json)`, [row.r]),
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === '42501' ? undefined : `workspace A could write a row of workspace B (it failed only later: ${(error as Error).message})`;
  }
  return 'workspace A inserted a row of workspace B';
}
