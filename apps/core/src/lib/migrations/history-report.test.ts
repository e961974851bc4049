import { describe, expect, it } from '@jest/globals';
import type { HistoryLogRow } from './history.ts';
import { historyEvents, historyOf } from './history-report.ts';
import type { RepairRow } from './repairs.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 31, 12, minute));

function row(id: number, migrationId: string, minute: number, status: HistoryLogRow['status'], reverted?: number): HistoryLogRow {
  return {
    id,
    packageName: '@ydtb/crm',
    migrationId,
    packageVersion: '0.3.0',
    checksum: 'c'.repeat(64),
    appliedAt: at(minute),
    durationMs: status === 'baselined' ? 0 : 12,
    status,
    appliedBy: 'deployer',
    revertedAt: reverted === undefined ? null : at(reverted),
    revertedBy: reverted === undefined ? null : 'operator',
  };
}

function repair(migrationId: string, minute: number, reason: string): RepairRow {
  return {
    packageName: '@ydtb/crm',
    migrationId,
    action: 'checksum',
    oldChecksum: 'a'.repeat(64),
    newChecksum: 'b'.repeat(64),
    reason,
    repairedBy: 'operator',
    repairedAt: at(minute),
  };
}

describe('historyOf', () => {
  describe('when a migration was repaired, rolled back and applied again', () => {
    it('should join each repair to the row in effect when it was made', () => {
      const log = [row(1, '0001_init', 0, 'applied'), row(2, '0003_phone', 1, 'rolled_back', 5), row(3, '0003_phone', 6, 'applied')];
      const repairs = [repair('0003_phone', 3, 'comment fixed'), repair('0003_phone', 8, 'index renamed by hand')];

      const entries = historyOf('@ydtb/crm', log, repairs);

      expect(entries.map((e) => [e.migrationId, e.status, e.repairs.map((r) => r.reason)])).toEqual([
        ['0001_init', 'applied', []],
        ['0003_phone', 'rolled_back', ['comment fixed']],
        ['0003_phone', 'applied', ['index renamed by hand']],
      ]);
      expect(entries[1]).toMatchObject({ appliedBy: 'deployer', revertedAt: at(5), revertedBy: 'operator' });
      expect(entries[1]!.repairs[0]).toEqual({ at: at(3), by: 'operator', reason: 'comment fixed', oldChecksum: 'a'.repeat(64), newChecksum: 'b'.repeat(64) });
    });

    it('should leave out other packages\' rows', () => {
      expect(historyOf('@ydtb/basic', [row(1, '0001_init', 0, 'applied')], [])).toEqual([]);
    });
  });
});

describe('historyEvents', () => {
  describe('when migrations were baselined, applied and rolled back together', () => {
    it('should list them in time order, the newest undone first within one rollback', () => {
      const log = [row(1, '0001_init', 0, 'baselined'), row(2, '0003_phone', 1, 'rolled_back', 9), row(3, '0003_tags', 2, 'uninstalled', 9)];
      log[0] = { ...log[0]!, status: 'rolled_back', revertedAt: at(9), revertedBy: 'operator' };

      const events = historyEvents(historyOf('@ydtb/crm', log, []));

      expect(events.map((e) => [e.at.getUTCMinutes(), e.migrationId, e.what, e.by, e.durationMs])).toEqual([
        [0, '0001_init', 'applied', 'deployer', 0],
        [1, '0003_phone', 'applied', 'deployer', 12],
        [2, '0003_tags', 'applied', 'deployer', 12],
        [9, '0003_tags', 'uninstalled', 'operator', undefined],
        [9, '0003_phone', 'rolled back', 'operator', undefined],
        [9, '0001_init', 'rolled back', 'operator', undefined],
      ]);
    });

    it('should say baselined for a row recorded without running SQL', () => {
      expect(historyEvents(historyOf('@ydtb/crm', [row(1, '0001_init', 0, 'baselined')], [])).map((e) => e.what)).toEqual(['baselined']);
    });
  });
});
