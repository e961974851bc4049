import type { ContainerModule } from 'inversify';
import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';
import { defaultRegistryConfig } from './registry-config.ts';

/**
 * A deployment's config, the default export of `ydtb.config.ts` (or `.mts`, `.js`, `.mjs`): the
 * package modules, and registry options over the defaults. The CLI and the host read the same
 * file: `createContainer(config)` builds the host's container from it.
 */
export interface YdtbConfig {
  /** The modules packages export (`definePackage(…)`); core is always there, not listed. */
  readonly packages: readonly ContainerModule[];
  /** Registry options; what is left out keeps its default (`defaultRegistryConfig`). */
  readonly registry?: Partial<DatabaseRegistryConfig> | undefined;
}

/** Types a deployment's config and checks its registry option names: `export default defineConfig({ packages: [basicModule] })`. */
export function defineConfig(config: YdtbConfig): YdtbConfig {
  registryConfigOf(config);
  return config;
}

/** The registry config a deployment's config asks for: its options over the defaults; an unknown option throws. */
export function registryConfigOf(config: YdtbConfig): DatabaseRegistryConfig {
  const options = config.registry ?? {};
  const unknown = Object.keys(options).filter((key) => !(key in defaultRegistryConfig));
  if (unknown.length) {
    throw new TypeError(`Unknown registry option ${unknown.map((key) => `"${key}"`).join(', ')}; the options are ${Object.keys(defaultRegistryConfig).join(', ')}.`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...defaultRegistryConfig, ...defined });
}

/** Whether a config file's default export is a `defineConfig` object (rather than the older array of modules). */
export function isYdtbConfig(value: unknown): value is YdtbConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as { packages?: unknown }).packages);
}
