import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePackageRoot } from './package-root';

describe('resolvePackageRoot', () => {
  describe('when the package is a workspace package', () => {
    it.each(['@ydtb/core', '@ydtb/basic', '@ydtb/plugin-api'])('should find the folder holding %s/package.json', (name) => {
      const root = resolvePackageRoot(name);

      expect(existsSync(join(root, 'package.json'))).toBe(true);
      expect(root).not.toContain('node_modules');
    });
  });

  describe('when the package is not installed', () => {
    it('should throw naming it', () => {
      expect(() => resolvePackageRoot('@ydtb/missing')).toThrow('Cannot find the folder of package "@ydtb/missing"');
    });
  });
});
