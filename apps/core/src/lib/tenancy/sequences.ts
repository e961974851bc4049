import type { SqlClient } from '../database/sql-client.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import type { LiveColumn } from './transfer-tables.ts';

/**
 * Moves each serial or identity sequence of `table` past the highest value its column now holds
 * (as far as the transaction can see), so the next insert draws a new id; never backwards.
 */
export async function advanceSequences(tx: SqlClient, table: string, columns: readonly LiveColumn[]): Promise<void> {
  for (const column of columns) {
    if (!column.sequence) continue;
    await tx.query(
      `SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(column.name)})::bigint AS m FROM ${quoteIdent(table)}) x
        WHERE m IS NOT NULL AND m >= COALESCE(pg_sequence_last_value($1::regclass), (SELECT seqstart FROM pg_sequence WHERE seqrelid = $1::regclass))`,
      [column.sequence],
    );
  }
}
