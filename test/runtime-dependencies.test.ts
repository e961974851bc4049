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

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function manifest(folder: string): Manifest {
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

    it('should bring the runtime it shares with the host as required peers: one copy of each, shared with the host', () => {
      const { dependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = manifest('apps/core');
      const required = Object.keys(peerDependencies).filter((name) => peerDependenciesMeta[name]?.optional !== true);

      expect(required.sort()).toEqual(['@ydtb/plugin-api', 'drizzle-orm', 'inversify', 'zod']);
      for (const shared of required) {
        expect(dependencies[shared]).toBeUndefined();
        expect(closure.has(shared)).toBe(true);
      }
    });

    it('should leave both drivers to the host, as optional peers loaded only when used', () => {
      const { peerDependencies = {}, peerDependenciesMeta = {} } = manifest('apps/core');

      for (const driver of ['@electric-sql/pglite', 'postgres']) {
        expect(peerDependencies[driver]).toBeDefined();
        expect(peerDependenciesMeta[driver]?.optional).toBe(true);
        expect(closure.has(driver)).toBe(false);
      }
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
