import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDrizzleJson, generateMigration, type DrizzleSnapshotJSON } from 'drizzle-kit/api';

export interface GenerateOptions {
  readonly packageName: string;
  /** The package's schema module namespace; drizzle-kit keeps its tables and enums, skips relations. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The package's `migrations/` folder. */
  readonly folder: string;
  /** Lower-case `[a-z0-9_]`; defaults to `init` for the first migration, then `migration`. */
  readonly name?: string;
}

export type GenerateResult =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'written'; readonly id: string; readonly file: string; readonly statements: readonly string[] };

const NAME = /^[a-z0-9_]+$/;
const UP_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
const BREAKPOINT = '\n--> statement-breakpoint\n';
/** drizzle-kit's id for "no previous snapshot". */
const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Writes a package's next migration: the drizzle-kit diff between `meta/snapshot.json` (the
 * schema as of the last generated migration) and the schema now. Only the schema's own exports
 * are diffed, so tables of other packages its foreign keys point at (ydtb_workspaces) are
 * referenced, never created. When drizzle-kit cannot tell a rename from a drop and an add it
 * prompts on a TTY and rejects elsewhere; nothing is written then.
 */
export async function generatePackageMigration(options: GenerateOptions): Promise<GenerateResult> {
  const { packageName, schema, folder } = options;
  const sequences = existingSequences(folder);
  const name = options.name ?? (sequences.length === 0 ? 'init' : 'migration');
  if (!NAME.test(name)) {
    throw new Error(`Invalid migration name "${name}" for ${packageName}: use lower case letters, digits and "_".`);
  }

  const snapshotFile = join(folder, 'meta', 'snapshot.json');
  const { current, statements } = await diffAgainstSnapshot(packageName, schema, folder, sequences);
  if (statements.length === 0) return { kind: 'unchanged' };

  const next = Math.max(0, ...sequences) + 1;
  if (next > 9999) throw new Error(`${packageName} has run out of 4-digit migration numbers.`);
  const id = `${String(next).padStart(4, '0')}_${name}`;
  const file = join(folder, `${id}.sql`);
  const sql = statements.join(BREAKPOINT);
  writeTogether([
    [file, sql.endsWith('\n') ? sql : `${sql}\n`],
    [snapshotFile, `${JSON.stringify(current, null, 2)}\n`],
  ]);
  return { kind: 'written', id, file, statements };
}

/**
 * The statements a migration generated now would hold: empty when the checked-in migrations
 * already cover the schema. Writes nothing.
 */
export async function ungeneratedChanges(packageName: string, schema: GenerateOptions['schema'], folder: string): Promise<string[]> {
  return (await diffAgainstSnapshot(packageName, schema, folder, existingSequences(folder))).statements;
}

async function diffAgainstSnapshot(packageName: string, schema: GenerateOptions['schema'], folder: string, sequences: readonly number[]) {
  const previous = readSnapshot(packageName, join(folder, 'meta', 'snapshot.json'), sequences.length > 0);
  const current = generateDrizzleJson(schema, previous.id);
  return { current, statements: await generateMigration(previous, current) };
}

function existingSequences(folder: string): number[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((file) => {
    const sequence = UP_FILE.exec(file)?.[1];
    return sequence === undefined ? [] : [Number(sequence)];
  });
}

function readSnapshot(packageName: string, file: string, hasMigrations: boolean): DrizzleSnapshotJSON {
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as DrizzleSnapshotJSON;
    } catch (error) {
      throw new Error(`${packageName}: ${file} is not valid JSON.`, { cause: error });
    }
  }
  // Diffing hand-written migrations against nothing would emit CREATE TABLEs they already ran.
  if (hasMigrations) {
    throw new Error(`${packageName} has migrations but no ${file}; cannot tell what they already created.`);
  }
  return { ...generateDrizzleJson({}), id: ORIGIN_ID, prevId: ORIGIN_ID };
}

/**
 * Writes every file to a temp sibling first and renames them into place only once all are
 * written, so a failure never leaves a migration without its snapshot or the reverse. A file
 * that replaces an existing one must come last: only files placed before a failure are removed.
 */
function writeTogether(files: readonly (readonly [path: string, content: string])[]): void {
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
