/** The command line is wrong; rendered with the command's usage and exit code 2. */
export class UsageError extends Error {
  readonly kind = 'usage' as const;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
