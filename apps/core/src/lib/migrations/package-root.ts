import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of an installed workspace package, found the way Node finds the package itself
 * (so it works for core, workspace packages and installed ones alike). Each package exports
 * `./package.json` for this: with an `exports` map nothing else is resolvable by path.
 */
export function resolvePackageRoot(packageName: string): string {
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch (error) {
    throw new Error(
      `Cannot find the folder of package "${packageName}": it is not installed here, or its package.json ` +
        `"exports" lacks "./package.json": "./package.json".`,
      { cause: error },
    );
  }
}
