import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lockFileOf } from '../../../../apps/core/src/lib/database/data-dir-lock.ts';
import { EXIT } from './cli-io.ts';
import { spawnYdtb, type Run } from './fixtures/spawn-ydtb.ts';
import { runCliCaptured } from './run-cli-captured.ts';

const BUSY = /^error: The embedded database at .+ is in use by process \d+ \(ydtb db migrate, since .+\): PGlite allows one process per folder\. Wait for it to finish, or stop it, and run again\.\n$/;

/** Starts `processes` migrators on one fresh folder at once and waits for all of them. */
async function race(folder: string, processes: number): Promise<Run[]> {
  return Promise.all(Array.from({ length: processes }, () => spawnYdtb(['db', 'migrate'], { YDTB_DATA_DIR: folder }).done));
}

function expectOneWinner(runs: readonly Run[]) {
  const winners = runs.filter((run) => run.code === EXIT.ok);
  const losers = runs.filter((run) => run.code !== EXIT.ok);
  expect(winners).toHaveLength(1);
  expect(winners[0]!.stdout).toContain('Migrated: 4 migrations in 3 packages');
  for (const loser of losers) {
    expect([loser.code, loser.stderr]).toEqual([EXIT.busy, expect.stringMatching(BUSY)]);
    expect(loser.stdout).not.toContain('applying');
  }
}

describe('ydtb db migrate on the embedded database', () => {
  let parent: string;

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'ydtb-race-'));
  });

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  describe.each([2, 4])('when %i processes migrate one fresh folder at once', (processes) => {
    it.each([1, 2, 3, 4, 5])('should let exactly one in and turn the others away with exit 5, leaving a sound database (round %i)', async (round) => {
      const folder = join(parent, `race-${processes}-${round}`);

      const runs = await race(folder, processes);

      expectOneWinner(runs);
      expect(existsSync(lockFileOf(folder))).toBe(false);
      const status = await runCliCaptured(['db', 'status'], { env: { YDTB_DATA_DIR: folder } });
      expect([status.code, status.err]).toEqual([EXIT.ok, `Opening the embedded PGlite at ${folder}…`]);
      expect(status.out).toContain('Up to date.');
    });
  });

  describe('when the folder lock was left by a process that died, and 3 processes race to take it over', () => {
    it('should let exactly one of them take it over', async () => {
      const folder = join(parent, 'stale');
      const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
      writeFileSync(lockFileOf(folder), JSON.stringify({ pid: dead, hostname: hostname(), command: 'ydtb db migrate', startedAt: '2020-01-01T00:00:00.000Z', token: 'dead' }));

      const runs = await race(folder, 3);

      expectOneWinner(runs);
      expect(existsSync(lockFileOf(folder))).toBe(false);
    });
  });
});
