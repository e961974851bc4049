import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import { RuleInjectionError } from './rule-injection-error.ts';

/** Throws a RuleInjectionError naming the fix when a rule's constructor did not receive the registry configuration. */
export function assertInjectedConfig(config: DatabaseRegistryConfig | undefined, ruleClass: { readonly name: string }): void {
  if (config === undefined) throw new RuleInjectionError(ruleClass.name, 'the registry configuration (REGISTRY_CONFIG)');
}
