import type { RegisteredPackage } from '../../types/database-registry.ts';
import { checksumOf } from './checksum.ts';
import type { HistoryRow } from './history.ts';
import { planMigrations, unknownMigrations } from './migration-plan.ts';

function pkg(packageName: string, migrations: { id: string; sql: string }[]): RegisteredPackage {
  return { registration: { packageName, version: '1.0.0', schema: {}, migrations }, tables: [], views: [], objects: [], warnings: [] };
}

function applied(packageName: string, migrationId: string, sql: string): HistoryRow {
  return {
    packageName,
    migrationId,
    packageVersion: '1.0.0',
    checksum: checksumOf(sql),
    appliedAt: new Date(),
    appliedBy: 'ydtb_migrator',
    durationMs: 1,
    status: 'applied',
  };
}

describe('planMigrations', () => {
  describe('when some migrations are applied', () => {
    it('should make pending the set difference, in id order, including one added in the past', () => {
      const notes = pkg('notes', [
        { id: '0003_tags', sql: 'c' },
        { id: '0001_init', sql: 'a' },
        { id: '0002_backfilled', sql: 'b' },
      ]);

      const plan = planMigrations([notes], [applied('notes', '0001_init', 'a'), applied('notes', '0003_tags', 'c')]);

      expect(plan.packages[0]?.applied).toEqual(['0001_init', '0003_tags']);
      expect(plan.packages[0]?.pending.map((m) => m.id)).toEqual(['0002_backfilled']);
      expect(plan.mismatches).toEqual([]);
    });

    it('should keep packages apart even when they share migration ids', () => {
      const plan = planMigrations(
        [pkg('a', [{ id: '0001_init', sql: 'x' }]), pkg('b', [{ id: '0001_init', sql: 'y' }])],
        [applied('a', '0001_init', 'x')],
      );

      expect(plan.packages.map((p) => p.pending.length)).toEqual([0, 1]);
    });

    it('should list applied migrations the package no longer ships', () => {
      const plan = planMigrations([pkg('a', [])], [applied('a', '0001_gone', 'x')]);

      expect(plan.packages[0]?.unknown).toEqual(['0001_gone']);
    });
  });

  describe('when ids differ only in case or punctuation', () => {
    it('should order them by code point, never by the machine\'s locale', () => {
      const plan = planMigrations(
        [pkg('notes', [{ id: '0002_alpha', sql: 'a' }, { id: '0002_Zeta', sql: 'z' }, { id: '0002-beta', sql: 'b' }])],
        [applied('gone', '0002_alpha', 'a'), applied('gone', '0002_Zeta', 'z')],
      );

      // A locale sorts alpha before Zeta, and may ignore the hyphen; code points put '-' before '_' and 'Z' before 'a'.
      expect(plan.packages[0]?.pending.map((m) => m.id)).toEqual(['0002-beta', '0002_Zeta', '0002_alpha']);
      expect(plan.uninstalled).toEqual([{ packageName: 'gone', migrationIds: ['0002_Zeta', '0002_alpha'] }]);
    });
  });

  describe('when an applied migration was edited', () => {
    it('should report package, id and both checksums', () => {
      const plan = planMigrations([pkg('a', [{ id: '0001_init', sql: 'create table edited()' }])], [applied('a', '0001_init', 'create table t()')]);

      expect(plan.mismatches).toEqual([
        { packageName: 'a', migrationId: '0001_init', recorded: checksumOf('create table t()'), shipped: checksumOf('create table edited()') },
      ]);
    });

    it('should not treat a change of line endings as an edit', () => {
      const plan = planMigrations([pkg('a', [{ id: '0001_init', sql: 'select 1;\r\nselect 2;' }])], [applied('a', '0001_init', 'select 1;\nselect 2;')]);

      expect(plan.mismatches).toEqual([]);
    });
  });

  describe('when a migration is an up/down pair', () => {
    it('should plan its up SQL', () => {
      const registration = { packageName: 'a', version: '1.0.0', schema: {}, migrations: [{ id: '0001', up: 'create table t()', down: 'drop table t' }] };
      const plan = planMigrations([{ registration, tables: [], views: [], objects: [], warnings: [] }], []);

      expect(plan.packages[0]?.pending[0]?.sql).toBe('create table t()');
    });
  });

  describe('when the history names migrations nobody ships', () => {
    it('should list, per installed package, the applied ids it does not ship', () => {
      const plan = planMigrations([pkg('notes', [{ id: '0001_init', sql: 'a' }])], [applied('notes', '0001_init', 'a'), applied('notes', '0002_forged', 'z')]);

      expect(unknownMigrations(plan)).toEqual([{ packageName: 'notes', migrationId: '0002_forged' }]);
      expect(plan.uninstalled).toEqual([]);
    });

    it('should list packages that are not installed apart, with their ids in order', () => {
      const plan = planMigrations(
        [pkg('notes', [{ id: '0001_init', sql: 'a' }])],
        [applied('gone', '0002_more', 'y'), applied('gone', '0001_init', 'x'), applied('notes', '0001_init', 'a')],
      );

      expect(plan.uninstalled).toEqual([{ packageName: 'gone', migrationIds: ['0001_init', '0002_more'] }]);
      expect(unknownMigrations(plan)).toEqual([]);
    });
  });
});
