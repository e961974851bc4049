import { describe, expect, it } from '@jest/globals';
import { thrownBy } from '../../../../../test/thrown.ts';
import { RollbackRefusedError } from './rollback-refused-error.ts';
import { selectRollback } from './rollback-target.ts';

const SHIPPED = ['0001_init', '0003_phone', '0003_tags'];
const refusal = (action: () => unknown) => thrownBy(action, RollbackRefusedError).problem;

describe('selectRollback', () => {
  describe('when the target can remain', () => {
    it.each([
      [{ steps: 1 }, { remaining: '0003_phone', undo: ['0003_tags'] }],
      [{ steps: 3 }, { remaining: null, undo: ['0003_tags', '0003_phone', '0001_init'] }],
      [{ to: '0001_init' }, { remaining: '0001_init', undo: ['0003_tags', '0003_phone'] }],
      [{ to: null }, { remaining: null, undo: ['0003_tags', '0003_phone', '0001_init'] }],
    ] as const)('should undo, newest first, what %j names', (target, expected) => {
      expect(selectRollback('@ydtb/crm', SHIPPED, SHIPPED, target)).toEqual(expected);
    });

    it('should skip a pending migration older than the last applied one', () => {
      expect(selectRollback('@ydtb/crm', ['0001_init', '0003_tags'], SHIPPED, { to: '0001_init' })).toEqual({ remaining: '0001_init', undo: ['0003_tags'] });
    });
  });

  describe('when it cannot', () => {
    it('should refuse with what is applied', () => {
      expect(refusal(() => selectRollback('@ydtb/crm', [], SHIPPED, { steps: 1 }))).toEqual({ kind: 'nothing-applied' });
      expect(refusal(() => selectRollback('@ydtb/crm', ['0001_init'], SHIPPED, { to: '0003_phone' }))).toEqual({
        kind: 'target-not-applied',
        migrationId: '0003_phone',
        applied: ['0001_init'],
      });
      expect(refusal(() => selectRollback('@ydtb/crm', SHIPPED, SHIPPED, { to: '0003_tags' }))).toEqual({ kind: 'nothing-after-target', migrationId: '0003_tags' });
    });

    it('should throw a RangeError for a number of steps below one', () => {
      expect(() => selectRollback('@ydtb/crm', SHIPPED, SHIPPED, { steps: 0 })).toThrow(RangeError);
    });
  });
});
