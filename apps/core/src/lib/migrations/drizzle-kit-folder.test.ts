import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../../../../..');
const drizzleKit = join(repoRoot, 'node_modules', '.bin', 'drizzle-kit');
const basic = join(repoRoot, 'packages', 'basic');

/** drizzle-kit's own CLI run on a package folder with the package's drizzle.config.ts. */
function drizzleKitIn(folder: string, command: string) {
  const run = spawnSync(drizzleKit, [command, '--config', 'drizzle.config.ts'], { cwd: folder, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("when drizzle-kit's CLI reads a package's migrations folder", () => {
  it('should find the journal and snapshots consistent (drizzle-kit check)', () => {
    const check = drizzleKitIn(basic, 'check');

    expect(check.output).toContain("Everything's fine");
    expect(check.code).toBe(0);
  });

  it('should see the checked-in snapshot as the current schema (drizzle-kit generate writes nothing)', () => {
    // A copy, so a drizzle-kit that disagreed could not write into the package.
    const copy = mkdtempSync(join(tmpdir(), 'ydtb-drizzle-kit-'));
    try {
      for (const entry of ['drizzle.config.ts', 'package.json', 'src', 'migrations']) cpSync(join(basic, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');

      const generate = drizzleKitIn(copy, 'generate');

      expect(generate.output).toContain('No schema changes, nothing to migrate');
      expect(generate.code).toBe(0);
      expect(readdirSync(join(copy, 'migrations'), { recursive: true }).sort()).toEqual(readdirSync(join(basic, 'migrations'), { recursive: true }).sort());
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
