import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes every file to a temp sibling first and renames them into place only once all are
 * written, so a failure never leaves a migration without its snapshot or the reverse. A file
 * that replaces an existing one must come last: only files placed before a failure are removed.
 */
export function writeTogether(files: readonly (readonly [path: string, content: string])[]): void {
  const temps = files.map(([path]) => `${path}.${process.pid}.tmp`);
  const placed: string[] = [];
  try {
    files.forEach(([path, content], i) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(temps[i]!, content, { flag: 'wx' });
    });
    files.forEach(([path], i) => {
      renameSync(temps[i]!, path);
      placed.push(path);
    });
  } catch (error) {
    for (const path of [...temps, ...placed]) rmSync(path, { force: true });
    throw error;
  }
}
