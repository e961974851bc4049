import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePackageMigration } from '../packages/cli/src/lib/migrations/generate-migration';
import { packageName, syntheticSchema } from './synthetic';

/*
 * A deployment on disk for the whole-process rows: a temporary folder with a `ydtb.config.ts`
 * listing N synthetic packages, each an installed package (`node_modules/@bench/pNNNN`) with its
 * own module file and a `migrations/` folder written by `ydtb db generate`'s own code, so `ydtb`
 * finds, validates, lints and checks them as it would a real deployment's. Beside it, a
 * drizzle-kit folder with the same migrations (core's first), for drizzle's migrator and
 * `drizzle-kit check`.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const syntheticModule = fileURLToPath(new URL('./synthetic.ts', import.meta.url));
/** Fixed journal times, so every generated folder is the same from run to run. */
const WHEN = Date.UTC(2025, 0, 1);

export interface CliProject {
  /** The deployment's folder: `ydtb` runs here and finds `ydtb.config.ts`. */
  readonly dir: string;
  readonly packageCount: number;
  /** A drizzle-kit migrations folder holding core's migrations and then each package's, with snapshots. */
  readonly drizzleFolder: string;
  /** A folder with a `drizzle.config.ts` whose `out` is `drizzleFolder`. */
  readonly drizzleConfigDir: string;
  rm(): void;
}

export async function cliProject(count: number): Promise<CliProject> {
  const dir = mkdtempSync(join(tmpdir(), 'ydtb-bench-project-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@ydtb'), { recursive: true });
  // Core is looked up from the config file as any package is (its migrations and snapshot).
  symlinkSync(join(repoRoot, 'apps/core'), join(modules, '@ydtb/core'), 'dir');
  symlinkSync(join(repoRoot, 'packages/plugin-api'), join(modules, '@ydtb/plugin-api'), 'dir');
  const imports: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = packageName(i);
    const root = join(modules, name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': './index.ts', './package.json': './package.json' } }));
    writeFileSync(
      join(root, 'index.ts'),
      [
        "import { definePackage, loadMigrations } from '@ydtb/plugin-api';",
        `import { syntheticSchema } from ${JSON.stringify(syntheticModule)};`,
        '',
        `export default definePackage({`,
        `  database: { packageName: ${JSON.stringify(name)}, version: '1.0.0', schema: syntheticSchema(${i}), migrations: loadMigrations(new URL('./migrations/', import.meta.url)) },`,
        '});',
        '',
      ].join('\n'),
    );
    const generated = await generatePackageMigration({ packageName: name, schema: syntheticSchema(i), folder: join(root, 'migrations'), now: WHEN });
    if (generated.kind !== 'written') throw new Error(`db generate wrote nothing for ${name}`);
    imports.push(name);
  }
  writeFileSync(
    join(dir, 'ydtb.config.ts'),
    [...imports.map((name, i) => `import m${i} from '${name}';`), '', `export default [${imports.map((_, i) => `m${i}`).join(', ')}];`, ''].join('\n'),
  );
  const drizzleConfigDir = join(dir, 'drizzle');
  const drizzleFolder = join(drizzleConfigDir, 'migrations');
  writeDrizzleFolder(drizzleFolder, [join(repoRoot, 'apps/core/migrations'), ...imports.map((name) => join(modules, name, 'migrations'))]);
  writeFileSync(join(drizzleConfigDir, 'drizzle.config.ts'), "export default { dialect: 'postgresql', out: './migrations' };\n");
  return { dir, packageCount: count, drizzleFolder, drizzleConfigDir, rm: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One drizzle-kit folder with the `0001_init` of each folder in turn: its SQL as the next
 * migration, its snapshot chained to the one before (drizzle-kit check follows `prevId`).
 */
function writeDrizzleFolder(folder: string, sources: readonly string[]): void {
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries: object[] = [];
  let prevId = '00000000-0000-0000-0000-000000000000';
  sources.forEach((source, idx) => {
    const tag = `${String(idx).padStart(4, '0')}_m${idx}`;
    cpSync(join(source, '0001_init.sql'), join(folder, `${tag}.sql`));
    const snapshot = JSON.parse(readFileSync(join(source, 'meta/0001_snapshot.json'), 'utf8')) as { id: string; prevId: string };
    const id = `00000000-0000-4000-8000-${String(idx + 1).padStart(12, '0')}`;
    writeFileSync(join(folder, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`), JSON.stringify({ ...snapshot, id, prevId }, null, 2));
    prevId = id;
    entries.push({ idx, version: '7', when: WHEN + idx * 1000, tag, breakpoints: true });
  });
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2));
}
