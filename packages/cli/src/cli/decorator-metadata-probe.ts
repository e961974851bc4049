/*
 * Compiled by the runtime with the tsconfig it applies (Bun: the working directory's). With
 * `experimentalDecorators` and `emitDecoratorMetadata` the class below carries the types of its
 * constructor parameters, as every injectable of the registry needs; without them it does not.
 */
class ProbeDependency {}

function probe(_target: unknown): void {}

@probe
class DecoratedProbe {
  constructor(readonly dependency: ProbeDependency) {}
}

/** True when the running code was compiled with legacy decorators and their metadata. */
export function decoratorMetadataEmitted(): boolean {
  const types: unknown = Reflect.getMetadata('design:paramtypes', DecoratedProbe);
  return Array.isArray(types) && types[0] === ProbeDependency;
}
