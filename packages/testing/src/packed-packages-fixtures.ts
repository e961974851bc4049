import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/third-party/', import.meta.url));

/**
 * The packages a third-party package and its host install, as `bun pm pack` makes them; in build
 * order, since each compiles against the declarations of those before it.
 */
export const PACKED = ['packages/plugin-api', 'apps/core', 'packages/testing', 'packages/cli'] as const;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end, capturing its output. Outside the repository nothing asks for the
 * workspaces' sources: the `@ydtb/source` condition the monorepo's Bun gets is dropped.
 */
export function run(command: string, args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<Run> {
  const child = spawn(command, args, { cwd, env: { ...process.env, BUN_OPTIONS: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `ydtb` command as a project that installed the CLI runs it: its bin, in its own node_modules. */
export function hostCli(project: string): string {
  return join(project, 'node_modules', '@ydtb', 'cli', 'dist', 'bin.js');
}

export interface ThirdPartyProjects {
  /** Outside the repository: vendor/ (tarballs), package/ (the package's repository), host/ (an app installing it). */
  readonly root: string;
  readonly vendor: string;
  readonly package: string;
  readonly host: string;
}

/** Copies the third-party package and host fixtures into a new temporary folder, outside the repository. */
export function thirdPartyProjects(): ThirdPartyProjects {
  const root = mkdtempSync(join(tmpdir(), 'ydtb-third-party-'));
  const vendor = join(root, 'vendor');
  mkdirSync(vendor);
  cpSync(join(fixtures, 'package'), join(root, 'package'), { recursive: true });
  cpSync(join(fixtures, 'host'), join(root, 'host'), { recursive: true });
  return { root, vendor, package: join(root, 'package'), host: join(root, 'host') };
}

/** `bun pm pack` of a folder into vendor/; resolves to the tarball's path. */
export async function pack(folder: string, vendor: string): Promise<string> {
  const result = await run('bun', ['pm', 'pack', '--destination', vendor, '--quiet'], folder);
  if (result.code !== 0) throw new Error(`bun pm pack in ${folder} failed: ${result.stdout}${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1)!;
}

/**
 * Installs a project from its package.json. The registry is asked only for manifests the cache
 * lacks: the packages themselves are the tarballs and the already-cached dependencies.
 */
export async function install(project: string): Promise<void> {
  const result = await run('bun', ['install', '--prefer-offline', '--no-save'], project);
  if (result.code !== 0) throw new Error(`bun install in ${project} failed: ${result.stderr}`);
}

/** A copy of the Node host fixture (`fixtures/node-host/`) in a new temporary folder, with vendor/ beside it. */
export function nodeHostProject(): { readonly root: string; readonly vendor: string; readonly host: string } {
  const root = mkdtempSync(join(tmpdir(), 'ydtb-node-host-'));
  const vendor = join(root, 'vendor');
  mkdirSync(vendor);
  cpSync(join(fixtures, '..', 'node-host'), join(root, 'host'), { recursive: true });
  return { root, vendor, host: join(root, 'host') };
}

/**
 * PATH without Bun: each folder of `path` holding a `bun` or `bunx` is replaced by a folder in
 * `under` with links to everything else in it, so node, npm, npx and the shell stay reachable.
 */
export function pathWithoutBun(path: string, under: string): string {
  return path
    .split(delimiter)
    .filter((folder) => folder !== '' && existsSync(folder))
    .map((folder, index) => {
      if (!existsSync(join(folder, 'bun')) && !existsSync(join(folder, 'bunx'))) return folder;
      const copy = join(under, `bin-${index}`);
      mkdirSync(copy, { recursive: true });
      for (const name of readdirSync(folder)) {
        if (name !== 'bun' && name !== 'bunx' && !existsSync(join(copy, name))) symlinkSync(join(folder, name), join(copy, name));
      }
      return copy;
    })
    .join(delimiter);
}

/** `npm install` of a project from its package.json, as a host without Bun installs it. */
export async function npmInstall(project: string, env: Readonly<Record<string, string>>): Promise<void> {
  const result = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project, env);
  if (result.code !== 0) throw new Error(`npm install in ${project} failed: ${result.stdout}${result.stderr}`);
}
