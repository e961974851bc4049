import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependencyClosure, readBunLock } from './lockfile';

/*
 * An app that imports @ydtb/core at runtime (DatabaseRegistry, withWorkspace, migrateDatabase)
 * installs @ydtb/core's dependencies and theirs: the tooling of the ydtb CLI (drizzle-kit for
 * db generate) must not be among them. (db graph draws its pictures itself and needs none.)
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const lock = readBunLock(join(root, 'bun.lock'));
const TOOLING = ['drizzle-kit'];

function manifest(folder: string): { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
}

/** The installed package names of a closure, each with the chain that brought it. */
function names(closure: Map<string, string>): Map<string, string> {
  return new Map([...closure].map(([key, chain]) => [key.split('/').slice(key.startsWith('@') ? -2 : -1).join('/'), chain]));
}

describe('the dependencies of @ydtb/core', () => {
  it('should be the ones apps/core/package.json declares (bun.lock is current)', () => {
    expect(Object.keys(lock.workspaces['apps/core']!.dependencies ?? {}).sort()).toEqual(Object.keys(manifest('apps/core').dependencies ?? {}).sort());
  });

  it('should not declare the CLI tooling', () => {
    for (const tool of TOOLING) expect(Object.keys(manifest('apps/core').dependencies ?? {})).not.toContain(tool);
  });

  describe('when installed by a host that only needs the runtime', () => {
    const closure = names(dependencyClosure(lock, 'apps/core'));

    it('should bring the runtime: the contract, drizzle-orm, inversify and both drivers', () => {
      for (const runtime of ['@ydtb/plugin-api', 'drizzle-orm', 'inversify', 'zod', '@electric-sql/pglite', 'postgres']) expect(closure.has(runtime)).toBe(true);
    });

    it.each(TOOLING)('should not bring %s, directly or through another package', (tool) => {
      expect(closure.get(tool)).toBeUndefined();
    });
  });

  describe('when @ydtb/cli is installed', () => {
    const closure = names(dependencyClosure(lock, 'packages/cli'));

    it.each(TOOLING)('should bring %s with it', (tool) => {
      expect(closure.get(tool)).toBe(`@ydtb/cli > ${tool}`);
    });
  });
});
