import { decorate, injectable } from 'inversify';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { packageRole } from '../../package-roles/package-role.ts';
import { ruleViolation } from '../rule-violation.ts';

/**
 * `ydtb/unique-name`: no two packages (core included) share a name, nor the database role their
 * name maps to (the role owns the package's objects, so sharing one would share them).
 */
export class UniqueNameRule implements SchemaRule {
  static readonly id = 'ydtb/unique-name';
  readonly id = UniqueNameRule.id;
  readonly severity = 'error' as const;
  readonly description = 'A package name is registered once, and maps to a database role no other package maps to.';
  readonly hint = 'Give the package its own npm name, or remove the duplicate ContainerModule from the container.';
  readonly messages = {
    taken: (name: string, version: string) => `Package "${name}" is already registered (version ${version}).`,
    sameRole: (name: string, other: string, role: string) =>
      `Package "${name}" would own its tables through the database role ${role}, which "${other}" already has: names that differ only in punctuation or case map to one role.`,
  };

  check(context: RuleContext): Violation[] {
    const { packageName } = context.registration;
    const existing = context.registered.get(packageName);
    if (existing) return [ruleViolation(this, context, this.messages.taken(packageName, existing.registration.version))];
    const role = packageRole(packageName);
    const other = [...context.registered.keys()].find((name) => packageRole(name) === role);
    return other ? [ruleViolation(this, context, this.messages.sameRole(packageName, other, role))] : [];
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), UniqueNameRule);
