import { parseStatements } from './parse-statements.ts';
import type { SqlClient } from '../database/sql-client.ts';
import type { PackageSession } from '../package-roles/package-session.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import type { SecurityModel } from '../isolation/security-model.ts';
import { recordApplied } from './history.ts';
import { databaseErrorDetails } from './migration-failed-error.ts';
import type { PackagePlan, PlannedMigration } from './migration-plan.ts';
import { NoTransactionFailedError } from './no-transaction-failed-error.ts';
import { newSideDoors, type SideDoors } from './side-doors.ts';

/** What a run outside a transaction tells as it goes. */
export interface NoTransactionEvents {
  /** A failed earlier run left this INVALID index; it was dropped before the migration ran again. */
  invalidIndexDropped?(packageName: string, migrationId: string, index: string): void;
}

/** The index a `CREATE INDEX` statement builds, and its table. */
export interface IndexTarget {
  readonly index: string;
  readonly table: string;
}

const INVALID_INDEX = `
SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE NOT x.indisvalid AND i.relname = $1 AND t.relname = $2 AND i.relnamespace = current_schema()::regnamespace`;

/**
 * Runs one migration headed `-- ydtb:no-transaction` (one statement, checked by the lint) on its
 * own, outside any transaction, in the package's session, then writes its history row (the
 * migrator's `client` reads the catalog and writes the history). Before it runs, an INVALID index of
 * the name it creates (what a failed CREATE INDEX CONCURRENTLY leaves) is dropped, so a rerun
 * builds it again instead of IF NOT EXISTS keeping a broken one. A failure, or a side door the
 * statement added, throws NoTransactionFailedError with no history row written. Returns the duration.
 */
export async function runWithoutTransaction(
  client: SqlClient,
  session: PackageSession,
  pkg: PackagePlan,
  migration: PlannedMigration,
  model: SecurityModel,
  known: SideDoors,
  events: NoTransactionEvents,
): Promise<number> {
  const target = await indexTarget(migration.sql);
  if (target && (await hasInvalidIndex(client, target))) {
    await session.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(target.index)}`);
    events.invalidIndexDropped?.(pkg.packageName, migration.id, target.index);
  }
  const started = performance.now();
  try {
    await session.exec(migration.sql);
  } catch (error) {
    const invalid = target ? await hasInvalidIndex(client, target) : false;
    throw new NoTransactionFailedError(pkg.packageName, migration.id, databaseErrorDetails(error), target?.index, invalid);
  }
  const durationMs = performance.now() - started;
  // Nothing rolls this statement back: a key that leaves the workspace is dropped again by hand here.
  const sideDoor = await newSideDoors(client, model, known, { createdInThisTransaction: false });
  if (sideDoor) {
    for (const index of sideDoor.uniqueIndexes) await session.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(index)}`);
    const dropped = sideDoor.uniqueIndexes.length ? ` The index ${sideDoor.uniqueIndexes.map((i) => `"${i}"`).join(', ')} was dropped again.` : '';
    throw new NoTransactionFailedError(pkg.packageName, migration.id, { message: `${sideDoor.message.replace(/\.$/, '')}.${dropped}` }, target?.index, false);
  }
  await recordApplied(client, {
    packageName: pkg.packageName,
    migrationId: migration.id,
    packageVersion: pkg.version,
    checksum: migration.checksum,
    durationMs: Math.round(durationMs),
  });
  return durationMs;
}

async function hasInvalidIndex(client: SqlClient, target: IndexTarget): Promise<boolean> {
  return (await client.query(INVALID_INDEX, [target.index, target.table])).length > 0;
}

/** The named index a migration's only statement creates, read with PostgreSQL's parser. */
export async function indexTarget(sql: string): Promise<IndexTarget | undefined> {
  const stmt = (await parseStatements(sql))?.[0]?.stmt;
  if (!stmt || !('IndexStmt' in stmt)) return undefined;
  const { idxname, relation } = stmt.IndexStmt;
  return idxname && relation?.relname ? { index: idxname, table: relation.relname } : undefined;
}
