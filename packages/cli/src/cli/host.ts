import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContainerModule, type Container } from 'inversify';
import { MigrationFolderError } from '@ydtb/plugin-api';
import { DependencyError } from '@ydtb/core/tooling';
import { createContainer } from '@ydtb/core/tooling';
import { DatabaseRegistry } from '@ydtb/core/tooling';
import { describeError } from '@ydtb/core/tooling';
import { REGISTRY_CONFIG } from '@ydtb/core/tooling';
import { isYdtbConfig, registryConfigOf, type YdtbConfig } from '@ydtb/core/tooling';
import { SchemaValidationError } from '@ydtb/core/tooling';
import type { DatabaseRegistryConfig } from '@ydtb/core/tooling';
import { UsageError } from './usage-error.ts';

export interface Host {
  readonly container: Container;
  readonly registry: DatabaseRegistry;
  readonly config: DatabaseRegistryConfig;
  /** The absolute path of the package config file: packages are looked up from there. */
  readonly configFile: string;
  /**
   * The deployment's folder, where the default embedded database lives: the folder of the
   * `ydtb.config.ts` found walking up, or the working directory when `--config` names the file.
   */
  readonly projectDir: string;
}

/** The file that lists a deployment's packages, looked up from the working directory upwards. */
export const DEFAULT_CONFIG_FILE = 'ydtb.config.ts';

/**
 * The names a deployment's package config may have, in the order looked for in each folder:
 * TypeScript for Bun, tsx and Node with type stripping; JavaScript for any Node.
 */
export const CONFIG_FILES = [DEFAULT_CONFIG_FILE, 'ydtb.config.mts', 'ydtb.config.js', 'ydtb.config.mjs'] as const;

/**
 * Builds the host container with the package modules the config file exports (default export:
 * ContainerModule[]) and resolves the registry, which validates every package. Without
 * `configFile`, the nearest `ydtb.config.ts` in the working directory or a folder above it is used.
 */
export async function loadHost(cwd: string, configFile?: string): Promise<Host> {
  const { file, projectDir } = locateConfig(cwd, configFile);
  const deployment = await importConfig(file);
  const container = buildContainer(file, deployment);
  return { container, registry: container.get(DatabaseRegistry), config: container.get(REGISTRY_CONFIG), configFile: file, projectDir };
}

/** The package config file and the project folder `loadHost` would use, without loading anything. */
export function locateConfig(cwd: string, configFile?: string): Pick<Host, 'projectDir'> & { readonly file: string } {
  const file = configFile === undefined ? findConfigFile(cwd) : resolve(cwd, configFile);
  if (!existsSync(file)) {
    throw new UsageError(`No package config at ${file}: create ${DEFAULT_CONFIG_FILE} exporting the package modules (export default defineConfig({ packages: [basicModule] })), or pass --config <file>.`);
  }
  return { file, projectDir: configFile === undefined ? dirname(file) : cwd };
}

/**
 * The nearest package config (`ydtb.config.ts`, `.mts`, `.js` or `.mjs`) from `cwd` upwards, as git
 * finds `.git`; a usage error when there is none.
 */
function findConfigFile(cwd: string): string {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    for (const name of CONFIG_FILES) {
      const file = join(folder, name);
      if (existsSync(file)) return file;
    }
    if (dirname(folder) === folder) break;
  }
  throw new UsageError(
    `No ${DEFAULT_CONFIG_FILE} in ${resolve(cwd)} or any folder above it (nor a .mts, .js or .mjs one): create one exporting the package modules ` +
      '(export default defineConfig({ packages: [basicModule] })), or pass --config <file>.',
  );
}

/**
 * The deployment's config: `export default defineConfig({ packages, registry })`, or the older
 * `export default [module, …]` (still read; defineConfig is the form to write, since it carries the
 * registry options too).
 */
async function importConfig(file: string): Promise<YdtbConfig & { readonly where: string }> {
  let loaded: { default?: unknown };
  try {
    loaded = await importConfigFile(file);
  } catch (error) {
    // A package whose migrations folder is broken is an invalid package, not a bad command line.
    if (error instanceof MigrationFolderError) throw error;
    if (cannotRunTypeScript(error)) {
      throw new UsageError(
        `Cannot load the package config ${file}: this Node (${process.version}) does not run TypeScript, and no compiled ` +
          `${basename(compiledConfig(file))} is beside it. Compile it (tsc), name it ydtb.config.js or .mjs, run the CLI ` +
          'under Bun or tsx, or use a Node that strips types (22.18 or later).',
      );
    }
    throw new UsageError(`Cannot load the package config ${file}: ${describeError(error)}`);
  }
  const exported = loaded.default;
  if (!Array.isArray(exported) && !isYdtbConfig(exported)) {
    throw new UsageError(
      `The package config ${file} must have a default export made by defineConfig({ packages: [...] }) from @ydtb/core ` +
        '(or the older array of ContainerModules).',
    );
  }
  const [packages, where] = Array.isArray(exported) ? [exported as unknown[], 'the default export'] : [exported.packages as unknown[], 'packages in the default export'];
  packages.forEach((entry: unknown, index) => {
    if (!(entry instanceof ContainerModule)) {
      throw new UsageError(
        `Entry ${index + 1} of ${where} of ${file} is ${describeValue(entry)}, not a ContainerModule. ` +
          'List the modules packages export (definePackage(…)), e.g. export default defineConfig({ packages: [basicModule] }).',
      );
    }
  });
  const config: YdtbConfig = { packages: packages as ContainerModule[], registry: Array.isArray(exported) ? undefined : exported.registry };
  try {
    registryConfigOf(config);
  } catch (error) {
    throw new UsageError(`The package config ${file}: ${describeError(error)}`);
  }
  return { ...config, where };
}

/**
 * Imports the config; a TypeScript one that this runtime cannot load (Node without type stripping
 * or a loader) is replaced by the JavaScript tsc compiled beside it (`ydtb.config.js` for `.ts`,
 * `.mjs` for `.mts`), as a host built with tsc runs its own code.
 */
async function importConfigFile(file: string): Promise<{ default?: unknown }> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    const compiled = compiledConfig(file);
    if (!cannotRunTypeScript(error) || compiled === file || !existsSync(compiled)) throw error;
    return import(pathToFileURL(compiled).href);
  }
}

function compiledConfig(file: string): string {
  return file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');
}

function cannotRunTypeScript(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/** The container, or a usage error naming the module whose loading threw. */
function buildContainer(file: string, deployment: YdtbConfig & { readonly where: string }): Container {
  try {
    return createContainer(deployment);
  } catch (error) {
    if (error instanceof SchemaValidationError || error instanceof DependencyError) throw error;
    const culprit = deployment.packages.findIndex((module) => {
      try {
        createContainer([module]);
        return false;
      } catch {
        return true;
      }
    });
    const which = culprit >= 0 ? `entry ${culprit + 1} of ${deployment.where}` : 'one of the modules';
    throw new UsageError(`Loading the package modules of ${file} failed at ${which}: ${describeError(error)}`);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  return `${typeof value} ${String(value)}`;
}
