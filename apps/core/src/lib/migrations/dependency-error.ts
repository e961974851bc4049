/** Packages cannot be put in an order that satisfies their declared dependencies. */
export type DependencyProblem =
  | { readonly kind: 'missing'; readonly packageName: string; readonly missing: string }
  | { readonly kind: 'cycle'; readonly path: readonly string[] };

export class DependencyError extends Error {
  readonly kind = 'dependency' as const;

  constructor(readonly problem: DependencyProblem) {
    super(describe(problem));
    this.name = 'DependencyError';
  }
}

function describe(problem: DependencyProblem): string {
  if (problem.kind === 'missing') {
    return `Package "${problem.packageName}" depends on "${problem.missing}", which is not registered. Install and load "${problem.missing}", or remove it from dependencies.`;
  }
  return `Packages depend on each other in a cycle: ${problem.path.join(' -> ')}. Remove one of these dependencies (move the shared tables into one package).`;
}
