/** Why an export, import, erase, uninstall or restore was refused; nothing was written to the database. */
export type TransferProblem =
  | 'unknown-workspace'
  | 'workspace-exists'
  | 'folder-not-empty'
  | 'no-manifest'
  | 'bad-manifest'
  | 'wrong-kind'
  | 'checksum'
  | 'versions'
  | 'not-migrated'
  | 'unknown-table'
  | 'columns-differ'
  | 'unknown-package'
  | 'core-package'
  | 'not-installed'
  | 'dependents'
  | 'not-empty'
  | 'foreign-row'
  | 'rows-remain';

/** The refusals that are a wrong command line rather than a state of the database or the files. */
export const USAGE_PROBLEMS: ReadonlySet<TransferProblem> = new Set(['unknown-package', 'core-package', 'wrong-kind']);

/**
 * A tenant or package life-cycle operation refused, with what is wrong and the fix in the
 * message, and every detail (a file, a package, a table) listed below it.
 */
export class TransferRefusedError extends Error {
  readonly kind = 'transfer-refused' as const;

  constructor(
    readonly problem: TransferProblem,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super([message, ...details.map((d) => `  ${d}`)].join('\n'));
    this.name = 'TransferRefusedError';
  }
}
