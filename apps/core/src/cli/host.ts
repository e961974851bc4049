import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container, ContainerModule } from 'inversify';
import { createContainer } from '../lib/registry/container';
import { DatabaseRegistry } from '../lib/registry/database';
import { REGISTRY_CONFIG } from '../lib/registry/registry-config';
import type { DatabaseRegistryConfig } from '../types/database-registry';
import { installedPackages } from '../packages';
import { UsageError } from './usage-error';

export interface Host {
  readonly container: Container;
  readonly registry: DatabaseRegistry;
  readonly config: DatabaseRegistryConfig;
}

/**
 * Builds the host container with the installed packages, or with the modules a file exports
 * (`--modules file.ts`, default export: ContainerModule[]), and resolves the registry, which
 * validates every package.
 */
export async function loadHost(cwd: string, modulesFile?: string): Promise<Host> {
  const modules = modulesFile ? await importModules(resolve(cwd, modulesFile)) : installedPackages;
  const container = createContainer(modules);
  return { container, registry: container.get(DatabaseRegistry), config: container.get(REGISTRY_CONFIG) };
}

async function importModules(file: string): Promise<readonly ContainerModule[]> {
  let loaded: { default?: unknown };
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new UsageError(`Cannot load --modules ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(loaded.default)) {
    throw new UsageError(`--modules ${file} must have a default export that is an array of ContainerModules.`);
  }
  return loaded.default as ContainerModule[];
}
