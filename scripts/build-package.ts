/**
 * `prepack` of a published package: compiles its sources (tsconfig.build.json) into dist/ as ESM
 * JavaScript and declarations. TypeScript rewrites `./x.ts` to `./x.js` in the JavaScript it emits,
 * not in declarations, so the declarations' relative specifiers are rewritten here: a consumer's
 * tsc (nodenext, no allowImportingTsExtensions) then reads them as it reads any package's.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = process.cwd();
const dist = join(packageDir, 'dist');
const tsc = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsc');

rmSync(dist, { recursive: true, force: true });
const build = spawnSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const relativeTs = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*)\.ts(['"])/g;
for (const entry of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!entry.endsWith('.d.ts')) continue;
  const file = join(dist, entry);
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(relativeTs, '$1$2.js$3');
  if (rewritten !== text) writeFileSync(file, rewritten);
}
