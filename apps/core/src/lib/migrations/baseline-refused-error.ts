/** `ydtb db baseline` cannot adopt the database as it is; nothing was recorded. */
export class BaselineRefusedError extends Error {
  readonly kind = 'baseline-refused' as const;

  constructor(
    readonly packageName: string,
    readonly migrationId: string | undefined,
    readonly problem: 'unknown-package' | 'unknown-migration' | 'no-migrations' | 'already-applied' | 'catalog-differs',
    readonly differences: readonly string[] = [],
  ) {
    const target = migrationId ? `${packageName} up to ${migrationId}` : packageName;
    super(
      [
        `Cannot baseline ${target} (nothing was recorded): ${PROBLEMS[problem]}`,
        ...differences.map((d) => `  ${d}`),
      ].join('\n'),
    );
    this.name = 'BaselineRefusedError';
  }
}

const PROBLEMS: Record<BaselineRefusedError['problem'], string> = {
  'unknown-package': 'no installed package has that name; see ydtb db status for the installed packages.',
  'unknown-migration': 'the package ships no migration with that id; see ydtb db status for its migrations.',
  'no-migrations': 'the package ships no migrations; generate one first (ydtb db generate <package>).',
  'already-applied': 'the history already records those migrations; there is nothing to baseline.',
  'catalog-differs':
    'the live tables do not match the package schema as of that migration. Make them match, or name the migration they do match with --to, and run it again:',
};
