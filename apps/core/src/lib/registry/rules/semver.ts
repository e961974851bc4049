import { decorate, injectable } from 'inversify';
// Only the parser: the package's index loads every function and range class it has.
import parse from 'semver/functions/parse.js';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { ruleViolation } from '../rule-violation.ts';

/**
 * semver's own parser, made strict: `parse` tolerates a "v" prefix and spaces and drops build
 * metadata, so the parsed version, rebuilt, must equal the input exactly.
 */
function isStrictSemver(version: string): boolean {
  const parsed = parse(version, { loose: false });
  if (!parsed) return false;
  const build = parsed.build.length ? `+${parsed.build.join('.')}` : '';
  return `${parsed.version}${build}` === version;
}

/** `ydtb/semver`: the package version is a strict semantic version. */
export class SemverRule implements SchemaRule {
  static readonly id = 'ydtb/semver';
  readonly id = SemverRule.id;
  readonly severity = 'error' as const;
  readonly description = 'The package version is a strict semantic version (MAJOR.MINOR.PATCH[-pre][+build]).';
  readonly hint = 'Use the version from the package\'s package.json, e.g. "1.2.0"; no "v" prefix, no ranges.';
  readonly messages = {
    invalid: (version: string) => `Version ${JSON.stringify(version.slice(0, 80))} is not a valid semantic version.`,
  };

  check(context: RuleContext): Violation[] {
    const { version } = context.registration;
    if (isStrictSemver(version)) return [];
    return [ruleViolation(this, context, this.messages.invalid(version))];
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), SemverRule);
