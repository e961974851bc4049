import type { HistoryLogRow, HistoryStatus } from './history.ts';
import type { RepairRow } from './repairs.ts';

/** A `ydtb db repair` of the migration while this row was in effect. */
export interface HistoryRepair {
  readonly at: Date;
  readonly by: string;
  readonly reason: string;
  readonly oldChecksum: string;
  readonly newChecksum: string;
}

/** One history row of a package as `ydtb db status --json` reports it: when, how long, who, how, and what happened since. */
export interface HistoryEntry {
  readonly migrationId: string;
  readonly packageVersion: string;
  /** `applied` (its SQL ran), `baselined` (recorded, no SQL run), `rolled_back` (its down SQL ran), `uninstalled` (its package's tables were dropped). */
  readonly status: HistoryStatus;
  readonly appliedAt: Date;
  readonly durationMs: number;
  /** The database role that applied it; null for rows recorded before the history kept it. */
  readonly appliedBy: string | null;
  readonly checksum: string;
  /** When and by whom a `rolled_back` or `uninstalled` row stopped being in effect. */
  readonly revertedAt: Date | null;
  readonly revertedBy: string | null;
  readonly repairs: readonly HistoryRepair[];
}

/** One thing that happened to a package's migrations, for the short history `db status` prints. */
export interface HistoryEvent {
  readonly at: Date;
  readonly migrationId: string;
  readonly what: 'applied' | 'baselined' | 'rolled back' | 'uninstalled';
  readonly by: string | null;
  /** How long its SQL ran; only for `applied`. */
  readonly durationMs?: number;
}

/**
 * The history rows of `packageName`, oldest first, each with the repairs made while it was in
 * effect: a repair belongs to the latest row of its migration applied before it.
 */
export function historyOf(packageName: string, log: readonly HistoryLogRow[], repairs: readonly RepairRow[]): HistoryEntry[] {
  const rows = log.filter((row) => row.packageName === packageName);
  const repairsOf = new Map<HistoryLogRow, HistoryRepair[]>();
  for (const repair of repairs.filter((r) => r.packageName === packageName)) {
    const candidates = rows.filter((row) => row.migrationId === repair.migrationId);
    const row = candidates.filter((c) => c.appliedAt <= repair.repairedAt).at(-1) ?? candidates[0];
    if (!row) continue;
    repairsOf.set(row, [
      ...(repairsOf.get(row) ?? []),
      { at: repair.repairedAt, by: repair.repairedBy, reason: repair.reason, oldChecksum: repair.oldChecksum, newChecksum: repair.newChecksum },
    ]);
  }
  return rows.map((row) => ({
    migrationId: row.migrationId,
    packageVersion: row.packageVersion,
    status: row.status,
    appliedAt: row.appliedAt,
    durationMs: row.durationMs,
    appliedBy: row.appliedBy,
    checksum: row.checksum,
    revertedAt: row.revertedAt,
    revertedBy: row.revertedBy,
    repairs: repairsOf.get(row) ?? [],
  }));
}

/** The entries as events in time order: each row's applying (or baselining), then its rolling back or uninstalling. */
export function historyEvents(entries: readonly HistoryEntry[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const e of entries) {
    events.push(
      e.status === 'baselined'
        ? { at: e.appliedAt, migrationId: e.migrationId, what: 'baselined', by: e.appliedBy }
        : { at: e.appliedAt, migrationId: e.migrationId, what: 'applied', by: e.appliedBy, durationMs: e.durationMs },
    );
    if (e.revertedAt) events.push({ at: e.revertedAt, migrationId: e.migrationId, what: e.status === 'uninstalled' ? 'uninstalled' : 'rolled back', by: e.revertedBy });
  }
  // Migrations rolled back together share their transaction's time; the newest was undone first.
  const undone = (e: HistoryEvent) => e.what === 'rolled back' || e.what === 'uninstalled';
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || (undone(a) && undone(b) ? (a.migrationId < b.migrationId ? 1 : -1) : 0));
}
