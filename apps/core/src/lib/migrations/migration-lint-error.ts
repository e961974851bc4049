import type { MigrationFinding } from './migration-lint.ts';

/** Migrations have error findings (refused statements, safety rules not allowed, bad directives); nothing was run. */
export class MigrationLintError extends Error {
  readonly kind = 'migration-lint' as const;

  constructor(readonly findings: readonly MigrationFinding[]) {
    super(`${findings.length} ${findings.length === 1 ? 'error in migrations stops' : 'errors in migrations stop'} the pipeline; nothing was run.`);
    this.name = 'MigrationLintError';
  }
}
