import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rejectionOf } from '../../../../test/thrown.ts';
import { repoRoot } from './fixtures/spawn-ydtb.ts';
import { loadHost } from './host.ts';
import { UsageError } from './usage-error.ts';

describe('loadHost', () => {
  describe('when no --config is given', () => {
    it.each(['.', 'packages/basic/src', 'packages/cli/src/cli/fixtures'])('should find the nearest ydtb.config.ts walking up from %s', async (folder) => {
      const host = await loadHost(join(repoRoot, folder));

      expect(host.projectDir).toBe(resolve(repoRoot));
      expect(host.registry.list().map((p) => p.registration.packageName)).toEqual(['@ydtb/basic', '@ydtb/crm']);
    });

    it('should be a usage error naming the folder when there is none up to the file system root', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'ydtb-no-config-'));
      try {
        const error = await rejectionOf(loadHost(folder));

        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toBe(
          `No ydtb.config.ts in ${folder} or any folder above it (nor a .mts, .js or .mjs one): create one exporting the package modules (export default defineConfig({ packages: [basicModule] })), or pass --config <file>.`,
        );
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('when the folder has a JavaScript config, as a host on Node without a TypeScript loader writes', () => {
    it.each(['ydtb.config.mjs', 'ydtb.config.js'])('should find and load %s', async (name) => {
      const folder = mkdtempSync(join(tmpdir(), 'ydtb-js-config-'));
      try {
        writeFileSync(join(folder, 'package.json'), '{ "type": "module" }');
        writeFileSync(join(folder, name), 'export default [];\n');
        const host = await loadHost(folder);

        expect(host.configFile).toBe(join(folder, name));
        expect(host.registry.list()).toEqual([]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('when the config is written with defineConfig', () => {
    it('should register its packages and apply its registry options over the defaults', async () => {
      const host = await loadHost(repoRoot, 'packages/cli/src/cli/fixtures/define-config.ts');

      expect(host.registry.list().map((p) => p.registration.packageName)).toEqual(['@ydtb/basic']);
      expect(host.config).toMatchObject({ workspaceCascade: 'error', tenantKey: 'id', tablePrefix: 'ydtb_' });
    });

    it('should refuse an unknown registry option, naming the known ones', async () => {
      const error = await rejectionOf(loadHost(repoRoot, 'packages/cli/src/cli/fixtures/unknown-registry-option.ts'));

      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain('Unknown registry option "workspaceCascades"; the options are tablePrefix, tenantTable, tenantKey');
    });
  });

  describe('when --config names a file', () => {
    it('should resolve it against the working directory, which is then the project folder', async () => {
      const cwd = join(repoRoot, 'packages/cli');
      const host = await loadHost(cwd, 'src/lib/graph/fixtures/basic-modules.ts');

      expect(host.projectDir).toBe(cwd);
      expect(host.registry.list().map((p) => p.registration.packageName)).toEqual(['@ydtb/basic']);
    });
  });
});
