import { decorate, injectable } from 'inversify';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry';
import { ruleViolation } from '../rule-violation';

/** `ydtb/unique-name`: no two packages (core included) share a name. */
export class UniqueNameRule implements SchemaRule {
  static readonly id = 'ydtb/unique-name';
  readonly id = UniqueNameRule.id;
  readonly severity = 'error' as const;
  readonly description = 'A package name is registered once; a second registration under the same name is refused.';
  readonly hint = 'Give the package its own npm name, or remove the duplicate ContainerModule from the container.';
  readonly messages = {
    taken: (name: string, version: string) => `Package "${name}" is already registered (version ${version}).`,
  };

  check(context: RuleContext): Violation[] {
    const existing = context.registered.get(context.registration.packageName);
    if (!existing) return [];
    return [ruleViolation(this, context, this.messages.taken(context.registration.packageName, existing.registration.version))];
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), UniqueNameRule);
