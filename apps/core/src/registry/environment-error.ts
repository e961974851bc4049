/** Thrown when environment declarations clash or the environment does not satisfy them. */
export class EnvironmentError extends Error {
  readonly kind = 'environment' as const;

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Environment of ${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}
