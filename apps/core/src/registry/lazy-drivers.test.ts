import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/loaded-drivers.ts', import.meta.url));

async function driversLoaded(...args: string[]): Promise<string[]> {
  const { stdout } = await run('bun', [fixture, ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as string[];
}

describe('importing @ydtb/core', () => {
  describe('when an app only imports it', () => {
    it('should load no database driver', async () => {
      expect(await driversLoaded()).toEqual([]);
    });
  });

  describe('when the app makes a PostgreSQL client', () => {
    it('should load postgres.js then, and still not PGlite', async () => {
      expect(await driversLoaded('client')).toEqual(['postgres']);
    });
  });
});
