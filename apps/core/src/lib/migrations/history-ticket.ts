import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../database/sql-client.ts';
import { PIPELINE_FUNCTIONS, PIPELINE_TABLES } from '../pipeline-tables.ts';

// Not imported from history.ts, which imports this module.
const HISTORY_TABLE = PIPELINE_TABLES.history;

/**
 * The one function through which a package's transaction writes its history. Package roles may
 * not write ydtb's own tables, yet a package's migrations and their history rows must commit
 * together. So the migrator first writes the rows as `pending` (or marks the rows to roll back),
 * tagged with the sha256 of a fresh random ticket, and commits that; the package's transaction,
 * running as the package's role, ends by redeeming the ticket. Whoever does not hold the ticket
 * (the package's own SQL ran before it was sent) can change nothing, and a transaction that rolls
 * back leaves the rows pending, which the next run clears (`clearTickets`).
 */
export const REDEEM_FUNCTION = PIPELINE_FUNCTIONS.redeem;

const SIGNATURE = `${REDEEM_FUNCTION}(text, jsonb)`;

/** The body, compared with the live one so it is made again only when it differs. */
const body = (schema: string) => `
DECLARE n integer;
BEGIN
  UPDATE ${schema}.${HISTORY_TABLE} h SET
    status = CASE WHEN h.status = 'pending' THEN 'applied' ELSE 'rolled_back' END,
    applied_at = CASE WHEN h.status = 'pending' THEN now() ELSE h.applied_at END,
    duration_ms = CASE WHEN h.status = 'pending' THEN greatest(coalesce((durations ->> h.migration_id)::integer, 0), 0) ELSE h.duration_ms END,
    reverted_at = CASE WHEN h.status = 'pending' THEN NULL ELSE now() END,
    ticket = NULL
  WHERE h.ticket = sha256(convert_to(token, 'UTF8'));
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'no migration history waits for this ticket';
  END IF;
  RETURN n;
END
`;

/**
 * Makes the redeem function (SECURITY DEFINER: it writes the history as the migrator; a fixed
 * search_path, so no object a package creates is resolved in it) when it is missing or differs,
 * and lets nobody run it but the package roles it is granted to.
 */
export const ENSURE_REDEEM_FUNCTION = `
DO $ydtb_redeem$
DECLARE
  schema text := quote_ident(current_schema());
  wanted text;
BEGIN
  wanted := replace($ydtb_body$${body('@schema@')}$ydtb_body$, '@schema@', schema);
  IF NOT EXISTS (
    SELECT 1 FROM pg_proc
     WHERE oid = to_regprocedure(schema || '.${SIGNATURE}') AND prosecdef AND prosrc = wanted
       AND proconfig = ARRAY['search_path=pg_catalog, pg_temp']
  ) THEN
    EXECUTE format('CREATE OR REPLACE FUNCTION %s.${REDEEM_FUNCTION}(token text, durations jsonb) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L', schema, wanted);
  END IF;
  -- Only when needed: a grant rewrites the function's catalog row, which the catalog fingerprint reads.
  IF EXISTS (
    SELECT 1 FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     WHERE p.oid = to_regprocedure(schema || '.${SIGNATURE}') AND a.grantee = 0
  ) THEN
    EXECUTE format('REVOKE ALL ON FUNCTION %s.${SIGNATURE} FROM PUBLIC', schema);
  END IF;
END
$ydtb_redeem$`;

/** Lets a package role redeem tickets (and do nothing else with the history). */
export const grantRedeemSql = (quotedRole: string) => `GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO ${quotedRole};`;

const newToken = () => randomBytes(32).toString('hex');

/** Writes `migrations` as pending history rows of the package, committed, and returns their ticket. */
export async function ticketToApply(
  client: SqlClient,
  pkg: { readonly packageName: string; readonly version: string },
  migrations: readonly { readonly id: string; readonly checksum: string }[],
): Promise<string> {
  const token = newToken();
  await client.query(
    `INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms, status, ticket)
     SELECT $1, m.id, $2, m.checksum, 0, 'pending', sha256(convert_to($5, 'UTF8'))
       FROM unnest($3::text[], $4::text[]) AS m(id, checksum)`,
    [pkg.packageName, pkg.version, migrations.map((m) => m.id), migrations.map((m) => m.checksum), token],
  );
  return token;
}

/** Marks the package's rows in effect for `migrationIds` to roll back (by `current_user`), committed, and returns their ticket. */
export async function ticketToRollBack(client: SqlClient, packageName: string, migrationIds: readonly string[]): Promise<string> {
  const token = newToken();
  const marked = await client.query(
    `UPDATE ${HISTORY_TABLE} SET ticket = sha256(convert_to($3, 'UTF8')), reverted_by = current_user
      WHERE package_name = $1 AND migration_id = ANY($2::text[]) AND status IN ('applied', 'baselined')
      RETURNING id`,
    [packageName, migrationIds, token],
  );
  if (marked.length !== migrationIds.length) {
    await clearTickets(client);
    throw new Error(`The history has ${marked.length} of the ${migrationIds.length} migrations of ${packageName} to roll back in effect.`);
  }
  return token;
}

/** Inside the package's transaction, as its role: the rows of the ticket take effect with it. */
export async function redeemTicket(tx: SqlClient, token: string, durations: Readonly<Record<string, number>> = {}): Promise<void> {
  await tx.query(`SELECT ${REDEEM_FUNCTION}($1, $2::jsonb)`, [token, JSON.stringify(durations)]);
}

/** What tickets whose transaction never committed left: pending rows go, marks are lifted. */
export async function clearTickets(client: SqlClient): Promise<void> {
  await client.exec(
    `DELETE FROM ${HISTORY_TABLE} WHERE status = 'pending';
     UPDATE ${HISTORY_TABLE} SET ticket = NULL, reverted_by = NULL WHERE ticket IS NOT NULL AND status IN ('applied', 'baselined');`,
  );
}
