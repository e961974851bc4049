import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstalledPackageError } from './installed-package-error.ts';
import { isInstalledCopy, packageSourceRoot, resolvePackageRoot } from './package-root.ts';

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

describe('when a package is looked up from a project outside the repository', () => {
  let project: string;

  beforeAll(() => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'ydtb-package-root-')));
    // An installed copy, and a linked one whose real folder is the package's own source.
    const installed = join(project, 'node_modules', '@acme', 'installed');
    const source = join(project, 'linked-source');
    for (const folder of [installed, source]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'x', exports: { './package.json': './package.json' } }));
    }
    symlinkSync(source, join(project, 'node_modules', '@acme', 'linked'), 'dir');
    writeFileSync(join(project, 'ydtb.config.ts'), 'export default [];\n');
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('should resolve it from the config file, not from the host', () => {
    const config = join(project, 'ydtb.config.ts');

    expect(resolvePackageRoot('@acme/installed', config)).toBe(join(project, 'node_modules', '@acme', 'installed'));
    expect(() => resolvePackageRoot('@acme/installed')).toThrow('Cannot find the folder of package "@acme/installed"');
  });

  it('should tell an installed copy from a linked source folder by the real path', () => {
    expect(isInstalledCopy(join(project, 'node_modules', '@acme', 'installed'))).toBe(true);
    expect(isInstalledCopy(join(project, 'node_modules', '@acme', 'linked'))).toBe(false);
  });

  it('should give the source folder of a linked package', () => {
    expect(packageSourceRoot('@acme/linked', join(project, 'ydtb.config.ts'))).toBe(join(project, 'linked-source'));
  });

  it('should refuse the source folder of an installed copy, naming it and the fix', () => {
    const refusal = (() => {
      try {
        return packageSourceRoot('@acme/installed', join(project, 'ydtb.config.ts'));
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(InstalledPackageError);
    expect(refusal).toMatchObject({ packageName: '@acme/installed', folder: join(project, 'node_modules', '@acme', 'installed') });
    expect((refusal as Error).message).toContain("Generate it in the package's own repository");
  });
});
