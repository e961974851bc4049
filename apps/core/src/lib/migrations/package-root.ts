import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { InstalledPackageError } from './installed-package-error.ts';

/**
 * The folder of an installed workspace package, found the way Node finds the package itself
 * (so it works for core, workspace packages and installed ones alike). Each package exports
 * `./package.json` for this: with an `exports` map nothing else is resolvable by path.
 *
 * `from` is the file the lookup starts at: the host's package config, so a package installed
 * beside it (in another project's node_modules) is found; by default this module's own location.
 */
export function resolvePackageRoot(packageName: string, from: string = import.meta.url): string {
  try {
    return dirname(createRequire(from).resolve(`${packageName}/package.json`));
  } catch (error) {
    throw new Error(
      `Cannot find the folder of package "${packageName}": it is not installed here, or its package.json ` +
        `"exports" lacks "./package.json": "./package.json".`,
      { cause: error },
    );
  }
}

/**
 * True when the folder is an installed copy of a package: its real path (after following the
 * links workspaces and `bun link` make) lies inside a node_modules folder. Such a copy is
 * replaced on the next install; it is not where the package's source lives.
 */
export function isInstalledCopy(folder: string): boolean {
  return realpathSync(folder).split(sep).includes('node_modules');
}

/**
 * The folder of the package's own source, where its migrations are written. An installed copy
 * is refused (InstalledPackageError): a migration written into node_modules is lost on the next
 * install and never reaches the package's repository.
 */
export function packageSourceRoot(packageName: string, from?: string): string {
  const folder = resolvePackageRoot(packageName, from);
  if (isInstalledCopy(folder)) throw new InstalledPackageError(packageName, realpathSync(folder));
  return folder;
}
