import { inject, injectable } from 'inversify';
import type { DatabaseRegistryConfig, RuleContext, SchemaRule, Violation } from '../../../types/database-registry';
import { REGISTRY_CONFIG } from '../registry-config';
import { ruleViolation } from '../rule-violation';
import { tableShape } from '../table-shape';

/** PostgreSQL's NAMEDATALEN - 1: longer names are truncated silently, so two can become one. */
const MAX_IDENTIFIER_BYTES = 63;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * `ydtb/identifiers`: every table, column, index and constraint name is at most 63 bytes of
 * lower-case `[a-z0-9_]`, and no table or index name is already used by core or another package.
 * This is also the gate that keeps hostile names out of generated SQL.
 */
@injectable()
export class IdentifierRule implements SchemaRule {
  static readonly id = 'ydtb/identifiers';
  readonly id = IdentifierRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Table, column, index and constraint names are at most 63 bytes of lower-case [a-z0-9_] and unique across packages.';
  readonly hint = 'Rename it: lower case, digits and "_", at most 63 bytes, prefixed with the package name (ydtbTable(\'<package>_<name>\'), index(\'ydtb_<package>_<what>_idx\')).';
  readonly messages = {
    tooLong: (kind: string, name: string, bytes: number) =>
      `The ${kind} name "${name.slice(0, 80)}" is ${bytes} bytes; PostgreSQL silently truncates names to ${MAX_IDENTIFIER_BYTES}.`,
    badCharacters: (kind: string, name: string) =>
      `The ${kind} name ${JSON.stringify(name.slice(0, 80))} is not lower-case [a-z0-9_] starting with a letter or "_".`,
    collision: (name: string, owner: string) => `The name "${name}" is already used by ${owner}.`,
  };

  constructor(@inject(REGISTRY_CONFIG) private readonly config: DatabaseRegistryConfig) {}

  check(context: RuleContext): Violation[] {
    const relationOwners = context.owners.relations;
    const self = context.registration.packageName;
    const seen = new Set<string>();
    return context.tables.flatMap((inspected) => {
      const shape = tableShape(inspected, this.config);
      const violations = shape.identifiers.flatMap(({ kind, name }) => this.checkName(context, shape.name, kind, name));
      for (const name of shape.relationNames) {
        const other = relationOwners.get(name);
        const owner = other !== undefined && other !== self ? `package ${other}` : seen.has(name) ? 'another table of this package' : undefined;
        if (owner) violations.push(ruleViolation(this, context, this.messages.collision(name, owner), { table: shape.name }));
        seen.add(name);
      }
      return violations;
    });
  }

  private checkName(context: RuleContext, table: string, kind: string, name: string): Violation[] {
    // A name the pattern accepts is ASCII, one byte a character: no need to encode it.
    const wellFormed = IDENTIFIER.test(name);
    const bytes = wellFormed ? name.length : Buffer.byteLength(name, 'utf8');
    if (bytes <= MAX_IDENTIFIER_BYTES && wellFormed) return [];
    const where = kind === 'column' ? { table, column: name } : { table };
    if (bytes > MAX_IDENTIFIER_BYTES) return [ruleViolation(this, context, this.messages.tooLong(kind, name, bytes), where)];
    return [ruleViolation(this, context, this.messages.badCharacters(kind, name), where)];
  }
}
