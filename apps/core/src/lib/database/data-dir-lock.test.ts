import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { rejectionOf } from '../../../../../test/thrown.ts';
import { DatabaseBusyError } from './database-busy-error.ts';
import { lockDataDir, lockFileOf } from './data-dir-lock.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

describe('lockDataDir', () => {
  let parent: string;
  let folder: string;
  let lockFile: string;
  const readLock = () => JSON.parse(readFileSync(lockFile, 'utf8'));

  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'ydtb-lock-'));
    folder = join(parent, 'pglite');
    lockFile = lockFileOf(folder);
  });

  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  describe('when nobody holds the folder', () => {
    it('should write a lock file beside the folder naming this process, and remove it on release', async () => {
      const lock = await lockDataDir(folder, 'pglite', 'ydtb db migrate');

      expect(lock.file).toBe(join(parent, 'pglite.lock'));
      expect(readLock()).toEqual({ pid: process.pid, hostname: hostname(), command: 'ydtb db migrate', startedAt: expect.any(String), token: expect.any(String) });
      lock.release();
      expect(readdirSync(parent)).toEqual([]);
    });
  });

  describe('when a live process holds the folder', () => {
    it('should fail naming the holder, and leave its lock alone', async () => {
      const lock = await lockDataDir(folder, '.data/pglite', 'ydtb db migrate');

      const error = await rejectionOf(lockDataDir(folder, '.data/pglite', 'ydtb db status'));

      expect(error).toBeInstanceOf(DatabaseBusyError);
      expect(error.message).toMatch(
        new RegExp(`^The embedded database at \\.data/pglite is in use by process ${process.pid} \\(ydtb db migrate, since \\d{4}-.*\\): PGlite allows one process per folder\\. Wait for it to finish, or stop it, and run again\\.$`),
      );
      expect(readLock().command).toBe('ydtb db migrate');
      lock.release();
    });

    it('should count a holder on another host as live, and say how to clear it', async () => {
      writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), hostname: 'elsewhere', command: 'ydtb db migrate', startedAt: 'then', token: 't' }));

      const error = await rejectionOf(lockDataDir(folder, 'pglite', 'ydtb db status'));

      expect(error).toBeInstanceOf(DatabaseBusyError);
      expect(error.message).toContain('on elsewhere');
      expect(error.message).toContain(`delete ${lockFile}`);
    });
  });

  describe('when the lock was left by a process that no longer runs', () => {
    it('should take it over', async () => {
      const pid = deadPid();
      writeFileSync(lockFile, JSON.stringify({ pid, hostname: hostname(), command: 'ydtb db migrate', startedAt: 'then', token: 'old' }));

      const lock = await lockDataDir(folder, 'pglite', 'ydtb db status');

      expect(readLock()).toMatchObject({ pid: process.pid, command: 'ydtb db status' });
      lock.release();
      expect(existsSync(lockFile)).toBe(false);
    });

    it('should take over a lock file that has been unreadable for a while, but not a fresh one', async () => {
      writeFileSync(lockFile, '{"pid": 12');
      const fresh = await rejectionOf(lockDataDir(folder, 'pglite', 'ydtb db status'));
      expect(fresh).toBeInstanceOf(DatabaseBusyError);
      expect(fresh.message).toContain(`in use by another process (its lock file ${lockFile} is being written)`);

      const old = new Date(Date.now() - 60_000);
      utimesSync(lockFile, old, old);
      const lock = await lockDataDir(folder, 'pglite', 'ydtb db status');

      expect(readLock().pid).toBe(process.pid);
      lock.release();
    });
  });

  describe('when the lock was taken over by another process after this one took it', () => {
    it('should not remove the other process lock on release', async () => {
      const lock = await lockDataDir(folder, 'pglite', 'ydtb db migrate');
      const theirs = JSON.stringify({ pid: 1, hostname: hostname(), command: 'other', startedAt: 'now', token: 'theirs' });
      writeFileSync(lockFile, theirs);

      lock.release();

      expect(readFileSync(lockFile, 'utf8')).toBe(theirs);
    });
  });
});
