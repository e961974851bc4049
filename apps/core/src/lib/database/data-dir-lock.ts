import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DatabaseBusyError, type LockHolder } from './database-busy-error.ts';

/** The embedded database's lock, held until released or until the process exits. */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

interface LockContent extends LockHolder {
  /** Tells this lock apart from any other, even one with the same pid. */
  readonly token: string;
}

/** A lock file that does not parse is being written (at most this long) or was left broken. */
const UNREADABLE_GRACE_MS = 2_000;
const ATTEMPTS = 20;

/** Where the lock of an embedded database folder lives: beside it, never inside PGlite's files. */
export function lockFileOf(folder: string): string {
  return `${folder.replace(/[\\/]+$/, '')}.lock`;
}

/**
 * Takes the exclusive lock of an embedded database folder: PGlite allows one process per
 * folder, and two processes opening it corrupt it. The lock file is created atomically with
 * its content (pid, hostname, command, start time). A live holder fails at once with
 * DatabaseBusyError; a lock left by a process that no longer runs on this host is taken over.
 */
export async function lockDataDir(folder: string, shownFolder: string, command: string): Promise<DataDirLock> {
  const file = lockFileOf(folder);
  const mine: LockContent = { pid: process.pid, hostname: hostname(), command, startedAt: new Date().toISOString(), token: randomUUID() };
  const text = `${JSON.stringify(mine, null, 2)}\n`;
  let holder: LockContent | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusively(file, text)) return held(file, text);
    const found = readLock(file);
    if (found === 'gone') continue;
    if (found === 'unreadable') {
      if (ageMs(file) < UNREADABLE_GRACE_MS) await pause(50);
      else takeOver(file, undefined);
      continue;
    }
    holder = found.content;
    if (isRunning(found.content)) throw new DatabaseBusyError(shownFolder, file, found.content, found.content.hostname === hostname());
    takeOver(file, found.text);
  }
  // Only reached when the lock keeps changing hands under us: someone else is busy with it.
  throw new DatabaseBusyError(shownFolder, file, holder, true);
}

/** Creates the lock file with its whole content at once: a hard link to a finished temporary file. */
function createExclusively(file: string, text: string): boolean {
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text, { flag: 'wx' });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    // A file system without hard links: create exclusively and write (readers allow for the gap).
    try {
      writeFileSync(file, text, { flag: 'wx' });
      return true;
    } catch (fallback) {
      if (code(fallback) === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    unlinkSync(temporary);
  }
}

function readLock(file: string): 'gone' | 'unreadable' | { text: string; content: LockContent } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const content = JSON.parse(text) as LockContent;
    if (Number.isInteger(content.pid) && typeof content.hostname === 'string' && typeof content.token === 'string') {
      return { text, content: { ...content, command: String(content.command), startedAt: String(content.startedAt) } };
    }
  } catch {
    // fall through: not a lock this code wrote completely
  }
  return 'unreadable';
}

/** Whether the holder may still run: on another host that cannot be checked, so it counts as running. */
function isRunning(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return code(error) !== 'ESRCH';
  }
}

/**
 * Removes a stale lock so that at most one of several processes racing for it succeeds: the
 * file is first renamed to a name only this process uses, then checked to be the stale lock
 * that was read. If another process took the lock over in between, the file moved aside is
 * that process's live lock, and it is put back.
 */
function takeOver(file: string, staleText: string | undefined): void {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = readFileSync(aside, 'utf8');
    const wasStale = staleText === undefined ? readLock(aside) === 'unreadable' : moved === staleText;
    if (!wasStale) linkSync(aside, file);
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

function held(file: string, text: string): DataDirLock {
  const release = () => {
    process.off('exit', release);
    try {
      // Only our own lock: never remove one another process took over.
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { file, release };
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
