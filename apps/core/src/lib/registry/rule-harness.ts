import { inspectSchema } from './schema-inspector.ts';
import { NameOwnerIndex } from './name-owner-index.ts';
import { defaultRegistryConfig } from './registry-config.ts';
import type { PackageSchemaRegistration, RegisteredPackage, RuleContext, SchemaRule, Violation } from '../../types/database-registry.ts';

/** Runs one rule on a registration, as the registry would, with `registered` as the packages already known. */
export function runRule(
  rule: SchemaRule,
  registration: PackageSchemaRegistration,
  registered: ReadonlyMap<string, RegisteredPackage> = new Map(),
): readonly Violation[] {
  const owners = NameOwnerIndex.of(registered, defaultRegistryConfig);
  const context: RuleContext = { registration, ...inspectSchema(registration.schema), registered, owners };
  return rule.check(context);
}
