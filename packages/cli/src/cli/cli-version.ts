import { readFileSync } from 'node:fs';

/** The version of the `@ydtb/cli` package this command line belongs to. */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return manifest.version;
}
