/** What `assertIsolation` found wrong, one line per broken promise, with the table named. */
export class IsolationAssertionError extends Error {
  readonly kind = 'isolation-assertion' as const;

  constructor(
    readonly packageName: string,
    readonly failures: readonly string[],
  ) {
    super(`Workspace isolation of ${packageName} is broken:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'IsolationAssertionError';
  }
}
