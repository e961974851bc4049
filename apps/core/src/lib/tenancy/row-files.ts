import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import type { LiveColumn } from './transfer-tables.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

/** Rows fetched from the cursor per round trip, and written per INSERT: memory stays bounded whatever the table's size. */
export const ROWS_PER_BATCH = 2000;
/** An INSERT's JSON parameter stops growing past this many characters, however short the rows. */
const MAX_BATCH_CHARS = 4 * 1024 * 1024;

export interface RowSource {
  readonly table: string;
  /** The exported columns, in file order (generated ones left out). */
  readonly columns: readonly string[];
  /** `WHERE …` on alias `x`, or empty for every row. */
  readonly where: string;
  readonly params: readonly unknown[];
  /** Columns that order the rows (the primary key; else every column), so the same rows always give the same file. */
  readonly orderBy: readonly string[];
  /**
   * Foreign keys of the table to itself (a project's parent project): rows are then written
   * parents first, by their depth in the tree, so inserting them in file order satisfies the key.
   * Needs `orderBy` to be the primary key; rows in a cycle come last.
   */
  readonly selfReferences?: readonly { readonly columns: readonly string[]; readonly foreignColumns: readonly string[] }[];
}

export interface WrittenFile {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Streams the rows of `source` into `path`, one JSON array a line: each value is PostgreSQL's own
 * text form of it (or null), which its type reads back exactly (jsonb, timestamps, arrays, bytea,
 * numeric). PGlite hands a query's result over whole and postgres.js only streams COPY, so both
 * read through a server-side cursor, `ROWS_PER_BATCH` rows a FETCH, in the caller's transaction.
 */
export async function writeRowFile(tx: SqlClient, source: RowSource, path: string): Promise<WrittenFile> {
  await tx.query(`DECLARE ydtb_export NO SCROLL CURSOR FOR ${selectLines(source)}`, [...source.params]);
  const hash = createHash('sha256');
  const file = await open(path, 'wx');
  let rows = 0;
  let bytes = 0;
  try {
    for (;;) {
      const batch = await tx.query<{ line: string }>(`FETCH FORWARD ${ROWS_PER_BATCH} FROM ydtb_export`);
      if (batch.length === 0) break;
      let chunk = '';
      for (const row of batch) chunk += `${row.line}\n`;
      const buffer = Buffer.from(chunk, 'utf8');
      hash.update(buffer);
      await file.write(buffer);
      rows += batch.length;
      bytes += buffer.length;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await tx.exec('CLOSE ydtb_export');
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** The query that reads a table's lines in file order. */
function selectLines(source: RowSource): string {
  const values = source.columns.map((c) => `x.${quoteIdent(c)}::text`).join(', ');
  const line = `array_to_json(ARRAY[${values}]::text[])::text AS line`;
  const table = quoteIdent(source.table);
  const key = source.orderBy.map(quoteIdent);
  const order = key.map((c) => `x.${c}`).join(', ');
  const parents = source.selfReferences ?? [];
  if (parents.length === 0) return `SELECT ${line} FROM ${table} x ${source.where} ORDER BY ${order}`;
  const carried = [...new Set([...source.orderBy, ...parents.flatMap((p) => p.foreignColumns)])].map(quoteIdent);
  const and = source.where ? `${source.where} AND` : 'WHERE';
  const references = (p: (typeof parents)[number]) => p.columns.map((c) => `x.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const root = parents.map((p) => `(${references(p)})`).join(' OR ');
  const childOf = parents.map((p) => `(${p.columns.map((c, i) => `x.${quoteIdent(c)} = t.${quoteIdent(p.foreignColumns[i]!)}`).join(' AND ')})`).join(' OR ');
  return `WITH RECURSIVE ydtb_tree AS (
      SELECT ${carried.map((c) => `x.${c}`).join(', ')}, 0 AS ydtb_depth FROM ${table} x ${and} NOT (${root})
      UNION ALL
      SELECT ${carried.map((c) => `x.${c}`).join(', ')}, t.ydtb_depth + 1 FROM ${table} x JOIN ydtb_tree t ON ${childOf} ${source.where}
    ) CYCLE ${key.join(', ')} SET ydtb_cycle USING ydtb_path,
    ydtb_depths AS (SELECT ${key.join(', ')}, max(ydtb_depth) AS ydtb_depth FROM ydtb_tree WHERE NOT ydtb_cycle GROUP BY ${key.join(', ')})
    SELECT ${line} FROM ${table} x LEFT JOIN ydtb_depths d ON ${key.map((c) => `d.${c} = x.${c}`).join(' AND ')} ${source.where}
    ORDER BY d.ydtb_depth NULLS LAST, ${order}`;
}

export interface RowTarget {
  readonly table: string;
  /** The file's columns, in file order, as the live table has them (for the casts). */
  readonly columns: readonly LiveColumn[];
  /** Rows whose key already exists are kept as they are (core's shared tables: a user of several workspaces). */
  readonly skipExistingKey?: readonly string[];
  /** Every row must hold this value in this column (a core table's workspace column); one that does not refuses the import. */
  readonly requireValue?: { readonly column: string; readonly value: string };
}

export interface InsertedFile {
  readonly inserted: number;
  /** Rows left out because their key existed already (`skipExistingKey`). */
  readonly kept: number;
}

/**
 * Inserts the rows of a file written by `writeRowFile`, a batch per statement: each batch is one
 * JSON parameter, each value cast from its text form to the column's type. ALWAYS identity
 * columns take the file's values (OVERRIDING SYSTEM VALUE); generated columns are computed.
 */
export async function insertRowFile(tx: SqlClient, path: string, target: RowTarget): Promise<InsertedFile> {
  const names = target.columns.map((c) => quoteIdent(c.name)).join(', ');
  const casts = target.columns.map((c, i) => `CAST(r->>${i} AS ${c.type})`).join(', ');
  const required = target.requireValue ? target.columns.findIndex((c) => c.name === target.requireValue!.column) : -1;
  const where = required >= 0 ? `WHERE r->>${required} = $2` : '';
  const conflict = target.skipExistingKey?.length ? `ON CONFLICT (${target.skipExistingKey.map(quoteIdent).join(', ')}) DO NOTHING` : '';
  const statement = `WITH i AS (INSERT INTO ${quoteIdent(target.table)} (${names}) OVERRIDING SYSTEM VALUE
    SELECT ${casts} FROM json_array_elements($1::text::json) AS r ${where} ${conflict} RETURNING 1) SELECT count(*)::int AS n FROM i`;
  const params = required >= 0 ? [target.requireValue!.value] : [];
  let inserted = 0;
  let kept = 0;
  let lines: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    const [row] = await tx.query<{ n: number }>(statement, [`[${lines.join(',')}]`, ...params]);
    const n = Number(row?.n ?? 0);
    if (n < lines.length && !conflict) {
      throw new TransferRefusedError(
        'foreign-row',
        `${target.table}: ${lines.length - n} row(s) of the file belong to another workspace than ${target.requireValue?.value}; nothing was written.`,
      );
    }
    inserted += n;
    kept += lines.length - n;
    lines = [];
    chars = 0;
  };
  const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of reader) {
    if (line === '') continue;
    lines.push(line);
    chars += line.length;
    if (lines.length >= ROWS_PER_BATCH || chars >= MAX_BATCH_CHARS) await flush();
  }
  await flush();
  return { inserted, kept };
}
