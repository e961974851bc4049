/** `ydtb db repair` found nothing it may repair; nothing was changed. */
export class RepairRefusedError extends Error {
  readonly kind = 'repair-refused' as const;

  constructor(
    readonly packageName: string,
    readonly migrationId: string,
    readonly problem: 'no-reason' | 'unknown-package' | 'not-shipped' | 'not-applied' | 'checksum-matches',
  ) {
    super(`Cannot repair ${packageName} ${migrationId}: ${PROBLEMS[problem]} Nothing was changed.`);
    this.name = 'RepairRefusedError';
  }
}

const PROBLEMS: Record<RepairRefusedError['problem'], string> = {
  'no-reason': 'a repair needs --reason "…", kept in the audit table with the old and new checksums.',
  'unknown-package': 'no installed package has that name; see ydtb db status for the installed packages.',
  'not-shipped': 'the package ships no migration with that id; see ydtb db status for its migrations.',
  'not-applied': 'the history has no row for it, so there is no checksum to repair; ydtb db migrate runs it.',
  'checksum-matches': 'the recorded checksum already matches the shipped SQL; there is nothing to repair.',
};
