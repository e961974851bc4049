import type { DependentTables } from './dependents-with-tables.ts';
import type { IncomingForeignKey } from './incoming-foreign-keys.ts';

/** Why `ydtb db rollback` would not undo a package's migrations. Nothing was changed. */
export type RollbackProblem =
  | { readonly kind: 'unknown-package' }
  /** `--to` names a migration the package does not ship. */
  | { readonly kind: 'unknown-migration'; readonly migrationId: string; readonly shipped: readonly string[] }
  /** `--to` names a shipped migration that is not applied: nothing newer can be undone down to it. */
  | { readonly kind: 'target-not-applied'; readonly migrationId: string; readonly applied: readonly string[] }
  | { readonly kind: 'nothing-applied' }
  /** `--to` names the last applied migration. */
  | { readonly kind: 'nothing-after-target'; readonly migrationId: string }
  | { readonly kind: 'too-many-steps'; readonly steps: number; readonly applied: readonly string[] }
  /** Migrations to undo that ship no down SQL. */
  | { readonly kind: 'no-down-sql'; readonly migrationIds: readonly string[] }
  /** Migrations to undo that ran outside a transaction (`-- ydtb:no-transaction`), or whose down SQL must. */
  | { readonly kind: 'no-transaction'; readonly migrationIds: readonly string[] }
  /** Migrations to undo whose shipped SQL is not what ran: their down SQL undoes something else. */
  | { readonly kind: 'edited'; readonly migrationIds: readonly string[] }
  /** History rows in effect for migrations the package no longer ships: the package's state is unknown. */
  | { readonly kind: 'unknown-history'; readonly migrationIds: readonly string[] }
  /** Removing every table of the package while packages that depend on it have tables. */
  | { readonly kind: 'dependents-have-tables'; readonly dependents: readonly DependentTables[] }
  /** The down SQL dropped foreign keys of other tables into the package's (found in the transaction, which was rolled back). */
  | { readonly kind: 'breaks-foreign-keys'; readonly keys: readonly (IncomingForeignKey & { readonly packageName?: string })[] };

export class RollbackRefusedError extends Error {
  readonly kind = 'rollback-refused' as const;

  constructor(
    readonly packageName: string,
    readonly problem: RollbackProblem,
  ) {
    super(`Cannot roll back ${packageName} (nothing was changed): ${describe(packageName, problem)}`);
    this.name = 'RollbackRefusedError';
  }
}

const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : 'none');

function describe(packageName: string, problem: RollbackProblem): string {
  switch (problem.kind) {
    case 'unknown-package':
      return 'no installed package has that name; see ydtb db status for the installed packages.';
    case 'unknown-migration':
      return `it ships no migration "${problem.migrationId}". Its migrations: ${list(problem.shipped)}; --to none undoes every one.`;
    case 'target-not-applied':
      return `${problem.migrationId} is not applied, so it cannot be what remains applied. Applied: ${list(problem.applied)}; name one of them with --to, or --to none to undo every one.`;
    case 'nothing-applied':
      return 'none of its migrations is applied; there is nothing to roll back.';
    case 'nothing-after-target':
      return `${problem.migrationId} is its last applied migration; there is nothing after it to roll back.`;
    case 'too-many-steps':
      return `--steps ${problem.steps} asks for more than its ${problem.applied.length} applied migration${problem.applied.length === 1 ? '' : 's'} (${list(problem.applied)}); --to none undoes every one.`;
    case 'no-down-sql':
      return `${list(problem.migrationIds)} ${problem.migrationIds.length === 1 ? 'has' : 'have'} no down SQL (NNNN_name.down.sql beside the migration). Generate it for the next migration with ydtb db generate ${packageName}, or write it and check it undoes the migration; or roll back less (--to a later migration).`;
    case 'no-transaction':
      return `${list(problem.migrationIds)} ${problem.migrationIds.length === 1 ? 'runs' : 'run'} outside a transaction (-- ydtb:no-transaction), and a rollback undoes migrations in one transaction, so it cannot undo ${problem.migrationIds.length === 1 ? 'it' : 'them'}. Roll back only what is newer: --to ${problem.migrationIds[0]}.`;
    case 'edited':
      return `${list(problem.migrationIds)} ${problem.migrationIds.length === 1 ? 'was' : 'were'} edited after being applied, so the down SQL shipped with ${problem.migrationIds.length === 1 ? 'it' : 'them'} may not undo what ran. Check the database, record the shipped SQL with ydtb db repair ${packageName} <migration> --reason "…", then roll back.`;
    case 'unknown-history':
      return `the history has ${list(problem.migrationIds)} in effect, which the package no longer ships (see ydtb db status); restore the files or remove their rows first.`;
    case 'dependents-have-tables':
      return [
        'packages that depend on it have tables in the database, which removing its tables would break:',
        ...problem.dependents.map((d) => `  ${d.packageName}: ${d.tables.join(', ')}`),
        `Roll them back first (ydtb db rollback ${problem.dependents[0]!.packageName} --to none), or keep ${packageName}'s tables by rolling back to a later migration (--to <migration>).`,
      ].join('\n');
    case 'breaks-foreign-keys':
      return [
        'its down SQL drops foreign keys that other tables hold into its tables, so the transaction was rolled back:',
        ...problem.keys.map((k) => `  ${k.constraint} of "${k.table}" (${k.packageName ?? 'no package'}) references "${k.references}"`),
        `Roll back the packages that hold them first (ydtb db rollback <package>), or roll ${packageName} back to a migration whose undoing keeps those tables.`,
      ].join('\n');
  }
}
