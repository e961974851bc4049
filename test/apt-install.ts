import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Installs Debian packages a test needs (a browser, a database server) so the suite runs on a
 * fresh machine; tests never skip for want of them. Needs root and apt-get, else says what to run.
 */
export async function aptInstall(what: string, packages: readonly string[]): Promise<void> {
  const manual = `Install it with: apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) throw new Error(`${what} is not installed and this process is not root, so it cannot install it. ${manual}`);
  if (!isExecutable('/usr/bin/apt-get')) throw new Error(`${what} is not installed and apt-get is not available. ${manual}`);
  // Waits for the dpkg lock instead of failing when another apt run (another test worker) holds it.
  const apt = ['-o', 'DPkg::Lock::Timeout=600'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', [...apt, 'update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await run('apt-get', [...apt, 'install', '-y', ...packages], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const output = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-15).join('\n') ?? String(error);
    throw new Error(`Installing ${what} with apt-get failed:\n${output}\n${manual}`);
  }
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
