import type { ChecksumMismatch } from './migration-plan.ts';

/** Applied migrations were edited after they ran; nothing is migrated until that is resolved. */
export class ChecksumMismatchError extends Error {
  readonly kind = 'checksum-mismatch' as const;

  constructor(readonly mismatches: readonly ChecksumMismatch[]) {
    super(
      [
        `${mismatches.length} applied ${mismatches.length === 1 ? 'migration was' : 'migrations were'} changed after being applied; nothing was migrated.`,
        ...mismatches.map(
          (m) => `  ${m.packageName} ${m.migrationId}: recorded sha256 ${m.recorded}, shipped sha256 ${m.shipped}`,
        ),
        'Restore the original SQL and put the change in a new migration (ydtb db generate <package>);',
        'or, once you have checked the database matches the edited SQL, record it: ydtb db repair <package> <migration> --reason "…".',
      ].join('\n'),
    );
    this.name = 'ChecksumMismatchError';
  }
}
