import { Container, type ContainerModule } from 'inversify';
import { SCHEMA_RULE } from '@ydtb/plugin-api';
import { EnvironmentRegistry } from '../../registry/environment.ts';
import { CORE_SCHEMA, coreRegistration } from './core-package.ts';
import { CORE_RULES } from './core-rules.ts';
import { DatabaseRegistry } from './database.ts';
import { isYdtbConfig, registryConfigOf, type YdtbConfig } from './define-config.ts';
import { defaultRegistryConfig, REGISTRY_CONFIG } from './registry-config.ts';

/**
 * The host container: both registries, the core schema, the core rules and the given package
 * modules. Each rule is bound to itself and `SCHEMA_RULE` points at it, so one rule can be
 * replaced with `container.rebind(PrefixRule).to(OtherRule)` without touching the others.
 */
export function createContainer(config: readonly ContainerModule[] | YdtbConfig = []): Container {
  const modules = isYdtbConfig(config) ? config.packages : config;
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(REGISTRY_CONFIG).toConstantValue(isYdtbConfig(config) ? registryConfigOf(config) : defaultRegistryConfig);
  container.bind(CORE_SCHEMA).toConstantValue(coreRegistration);
  for (const rule of CORE_RULES) {
    container.bind(rule).toSelf();
    container.bind(SCHEMA_RULE).toService(rule);
  }
  container.bind(DatabaseRegistry).toSelf();
  container.bind(EnvironmentRegistry).toSelf();
  container.load(...modules);
  return container;
}
