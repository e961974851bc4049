import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container, ContainerModule } from 'inversify';
import { createContainer } from '../lib/registry/container';
import { DatabaseRegistry } from '../lib/registry/database';
import { REGISTRY_CONFIG } from '../lib/registry/registry-config';
import type { DatabaseRegistryConfig } from '../types/database-registry';
import { UsageError } from './usage-error';

export interface Host {
  readonly container: Container;
  readonly registry: DatabaseRegistry;
  readonly config: DatabaseRegistryConfig;
}

/** The file that lists a deployment's packages, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'ydtb.config.ts';

/**
 * Builds the host container with the package modules the config file exports (default export:
 * ContainerModule[]) and resolves the registry, which validates every package.
 */
export async function loadHost(cwd: string, configFile = DEFAULT_CONFIG_FILE): Promise<Host> {
  const modules = await importModules(resolve(cwd, configFile));
  const container = createContainer(modules);
  return { container, registry: container.get(DatabaseRegistry), config: container.get(REGISTRY_CONFIG) };
}

async function importModules(file: string): Promise<readonly ContainerModule[]> {
  if (!existsSync(file)) {
    throw new UsageError(`No package config at ${file}: create ${DEFAULT_CONFIG_FILE} exporting the package modules (export default [basicModule]), or pass --config <file>.`);
  }
  let loaded: { default?: unknown };
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new UsageError(`Cannot load the package config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(loaded.default)) {
    throw new UsageError(`The package config ${file} must have a default export that is an array of ContainerModules.`);
  }
  return loaded.default as ContainerModule[];
}
