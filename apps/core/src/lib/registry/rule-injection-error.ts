/**
 * A rule was constructed without what its constructor injects: a subclass of a core rule bound
 * with `.to(MySubclass)` carries no injections of its own unless told to inherit them.
 */
export class RuleInjectionError extends Error {
  readonly kind = 'rule-injection' as const;

  constructor(
    /** The class that was constructed (the subclass, not the core rule it extends). */
    readonly ruleClass: string,
    /** What the constructor did not receive. */
    readonly missing: string,
  ) {
    super(
      `Rule class ${ruleClass} was constructed without ${missing}: the container passed its constructor nothing. ` +
        `A class extending a core rule inherits its injections only when declared: decorate(injectFromBase(), ${ruleClass}) ` +
        `after the class (or @injectFromBase() above it, where decorators are enabled), both from inversify.`,
    );
    this.name = 'RuleInjectionError';
  }
}
