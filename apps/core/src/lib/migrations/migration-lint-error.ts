import type { MigrationFinding } from './migration-lint';

/** Migrations contain statements the pipeline refuses; nothing was run. */
export class MigrationLintError extends Error {
  readonly kind = 'migration-lint' as const;

  constructor(readonly findings: readonly MigrationFinding[]) {
    super(`${findings.length} ${findings.length === 1 ? 'statement' : 'statements'} in migrations cannot run in the pipeline; nothing was run.`);
    this.name = 'MigrationLintError';
  }
}
