import { RollbackRefusedError } from './rollback-refused-error.ts';

/**
 * What remains applied after a rollback: `to` a migration (it stays applied; `null`: none
 * does), or the last `steps` applied migrations undone.
 */
export type RollbackTarget = { readonly to: string | null } | { readonly steps: number };

/** Without a target, a rollback undoes the last applied migration, as one step. */
export const DEFAULT_ROLLBACK_TARGET: RollbackTarget = { steps: 1 };

export interface RollbackSelection {
  /** The migration left as the last applied one; null when none remains. */
  readonly remaining: string | null;
  /** The applied migrations to undo, newest first: the order their down SQL runs in. */
  readonly undo: readonly string[];
}

/**
 * Picks the applied migrations a rollback undoes: those newer than the target, in reverse id
 * order. `applied` and `shipped` are in id order. Throws RollbackRefusedError for a target that
 * names no shipped or no applied migration, or when nothing would be undone.
 */
export function selectRollback(packageName: string, applied: readonly string[], shipped: readonly string[], target: RollbackTarget): RollbackSelection {
  if (applied.length === 0) throw new RollbackRefusedError(packageName, { kind: 'nothing-applied' });
  let keep: number;
  if ('steps' in target) {
    if (!Number.isInteger(target.steps) || target.steps < 1) throw new RangeError(`A rollback takes a whole number of steps, at least 1 (got ${target.steps}).`);
    if (target.steps > applied.length) throw new RollbackRefusedError(packageName, { kind: 'too-many-steps', steps: target.steps, applied });
    keep = applied.length - target.steps;
  } else if (target.to === null) {
    keep = 0;
  } else {
    if (!shipped.includes(target.to)) throw new RollbackRefusedError(packageName, { kind: 'unknown-migration', migrationId: target.to, shipped });
    const at = applied.indexOf(target.to);
    if (at < 0) throw new RollbackRefusedError(packageName, { kind: 'target-not-applied', migrationId: target.to, applied });
    if (at === applied.length - 1) throw new RollbackRefusedError(packageName, { kind: 'nothing-after-target', migrationId: target.to });
    keep = at + 1;
  }
  return { remaining: keep > 0 ? applied[keep - 1]! : null, undo: applied.slice(keep).reverse() };
}
