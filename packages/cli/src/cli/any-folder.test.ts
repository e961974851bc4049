import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, spawnYdtb } from './fixtures/spawn-ydtb.ts';

/** The real `ydtb` executable run as its own process (`bun packages/cli/bin/ydtb.ts …`) from other folders. */
describe('ydtb run as a process', () => {
  describe.each(['apps/core', 'packages/basic', 'packages/basic/src', 'packages/cli/src/cli/commands'])('when run from %s', (folder) => {
    it('should find the repository root ydtb.config.ts and check its packages', async () => {
      const run = await spawnYdtb(['db', 'check'], {}, join(repoRoot, folder)).done;

      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toContain('OK: 3 packages valid, in migration order: @ydtb/core -> @ydtb/basic -> @ydtb/crm');
    });
  });

  describe('when run outside the repository', () => {
    let folder: string;

    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'ydtb-elsewhere-'));
    });

    afterAll(() => {
      rmSync(folder, { recursive: true, force: true });
    });

    it('should exit 2 with the fix on standard error when no ydtb.config.ts is in the folder or above it', async () => {
      const run = await spawnYdtb(['db', 'check'], {}, folder).done;

      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`No ydtb.config.ts in ${folder} or any folder above it`);
      expect(run.stderr).toContain('pass --config <file>');
    });

    it('should use the --config file and keep a relative --data-dir relative to the working directory', async () => {
      const run = await spawnYdtb(['db', 'status', '--config', join(repoRoot, 'ydtb.config.ts'), '--data-dir', 'here/db'], {}, folder).done;

      // Nothing is migrated in the new database: status needs attention.
      expect(run.code).toBe(4);
      expect(run.stdout).toContain('Status of embedded PGlite at here/db:');
      expect(run.stderr).toBe('Opening the embedded PGlite at here/db…\n');
      expect(existsSync(join(folder, 'here/db/PG_VERSION'))).toBe(true);
    });
  });

  describe('when asked for its version', () => {
    it('should print the version of @ydtb/cli', async () => {
      const { version } = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };

      const run = await spawnYdtb(['--version'], {}, join(repoRoot, 'packages/basic')).done;

      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    });
  });
});
