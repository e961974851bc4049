import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot } from './fixtures/spawn-ydtb.ts';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/modules-loaded.ts', import.meta.url));

interface Loaded {
  readonly code: number;
  readonly drizzleKit: boolean;
  readonly postgres: boolean;
  readonly pglite: boolean;
}

async function loadedBy(args: string): Promise<Loaded> {
  const { stdout } = await run('bun', [fixture, ...args.split(' ')], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as Loaded;
}

describe('what a ydtb command loads', () => {
  describe('when db check finds every schema as its fingerprint record says', () => {
    it('should pass without loading drizzle-kit or a database driver', async () => {
      expect(await loadedBy('db check')).toEqual({ code: 0, drizzleKit: false, postgres: false, pglite: false });
    });
  });

  describe('when a package schema changed since its last migration', () => {
    it('should load drizzle-kit to diff it, and fail', async () => {
      const loaded = await loadedBy('db check --config packages/cli/src/cli/fixtures/added-crm-column-modules.ts');

      expect(loaded).toEqual({ code: 3, drizzleKit: true, postgres: false, pglite: false });
    });
  });
});
