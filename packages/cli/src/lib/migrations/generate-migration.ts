import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { diffSchemas } from './generate/diff-schemas.ts';
import { fingerprintFile, fingerprintRecord, recordText, sameRecord } from './generate/fingerprint-record.ts';
import { downFileText, downStatements } from './generate/down-migration.ts';
import { MigrationFolder } from './generate/migration-folder.ts';
import type { SchemaChoices } from './generate/resolve-choices.ts';
import type { Snapshot } from './generate/snapshot.ts';
import { writeTogether } from './generate/write-together.ts';

export { AmbiguousChangeError, SchemaChoiceError } from './generate/ambiguous-change-error.ts';
export type { SchemaChoices } from './generate/resolve-choices.ts';

export interface GenerateOptions {
  readonly packageName: string;
  /** The package's schema module namespace; drizzle-kit keeps its tables and enums, skips relations. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The package's `migrations/` folder. */
  readonly folder: string;
  /** Lower-case `[a-z0-9_]`; defaults to `init` for the first migration, then `migration`. */
  readonly name?: string;
  /** How to read changes drizzle-kit cannot tell apart: renames, or drops with their data. */
  readonly choices?: SchemaChoices;
  /** The journal's time for the new migration (ms since the epoch); now by default. */
  readonly now?: number;
}

export type GenerateResult =
  | {
      readonly kind: 'unchanged';
      /** `meta/_schema_fingerprint.json`, when it was missing or stale and has been written now. */
      readonly recorded?: string;
    }
  | {
      readonly kind: 'written';
      readonly id: string;
      readonly file: string;
      readonly statements: readonly string[];
      /** `NNNN_<name>.down.sql`: the diff from the new snapshot back to the previous one. */
      readonly downFile: string;
    };

const NAME = /^[a-z0-9_]+$/;
const BREAKPOINT = '\n--> statement-breakpoint\n';
/** drizzle-kit's id for "no previous snapshot". */
const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Writes a package's next migration: the diff between the snapshot of its highest-numbered SQL
 * migration and the schema now, as `NNNN_<name>.sql`, the reverse diff as `NNNN_<name>.down.sql`,
 * `meta/NNNN_snapshot.json` and the updated `meta/_journal.json`, all or none. Only the schema's own exports are diffed, so tables of
 * other packages its foreign keys point at (ydtb_workspaces) are referenced, never created.
 * Never prompts: a change drizzle-kit cannot tell from a rename needs a choice in `choices`,
 * else `AmbiguousChangeError` is thrown and nothing is written.
 */
export async function generatePackageMigration(options: GenerateOptions): Promise<GenerateResult> {
  const { packageName, schema } = options;
  const folder = new MigrationFolder(packageName, options.folder);
  const name = options.name ?? (folder.latest ? 'migration' : 'init');
  if (!NAME.test(name)) {
    throw new Error(`Invalid migration name "${name}" for ${packageName}: use lower case letters, digits and "_".`);
  }

  const previous = (await folder.latestSnapshot()) ?? emptySnapshot();
  const current = generateDrizzleJson(schema, previous.id);
  const statements = await diffSchemas(packageName, previous, current, options.choices);
  if (statements.length === 0) return { kind: 'unchanged', ...recordUnchanged(folder, schema) };

  const down = await downStatements(packageName, previous, current, options.choices);
  const sequence = (folder.latest?.sequence ?? 0) + 1;
  if (sequence > 9999) throw new Error(`${packageName} has run out of 4-digit migration numbers.`);
  const id = `${String(sequence).padStart(4, '0')}_${name}`;
  const file = join(options.folder, `${id}.sql`);
  const downFile = join(options.folder, `${id}.down.sql`);
  const sql = statements.join(BREAKPOINT);
  const snapshotText = json(current);
  const record = fingerprintRecord(id, snapshotText, schema);
  // A down file left by a deleted migration would make the folder unreadable to loadMigrations.
  const orphans = [...folder.orphanSnapshotsAbove(sequence), ...folder.orphanDownFiles().filter((orphan) => orphan !== downFile)];
  // A schema that cannot be fingerprinted keeps no record: db check asks drizzle-kit.
  if (!record) orphans.push(fingerprintFile(options.folder));
  writeTogether([
    [file, sql.endsWith('\n') ? sql : `${sql}\n`],
    [downFile, downFileText(id, down, BREAKPOINT)],
    [folder.snapshotFile(sequence), snapshotText],
    // Replaced files last, the journal at the very end: a failure removes only files placed before it.
    ...(record ? [[fingerprintFile(options.folder), recordText(record)] as const] : []),
    [folder.journalFile, json(folder.journalWith({ sequence, id }, options.now ?? Date.now()))],
  ]);
  for (const orphan of orphans) rmSync(orphan, { force: true });
  return { kind: 'written', id, file, statements, downFile };
}

/**
 * The statements a migration generated now would hold: empty when the checked-in migrations
 * already cover the schema. Writes nothing; throws `AmbiguousChangeError` when the pending
 * change needs the author's choice.
 */
export async function ungeneratedChanges(packageName: string, schema: GenerateOptions['schema'], folder: string): Promise<string[]> {
  const previous = (await new MigrationFolder(packageName, folder).latestSnapshot()) ?? emptySnapshot();
  return diffSchemas(packageName, previous, generateDrizzleJson(schema, previous.id));
}

/**
 * When the schema matches the latest snapshot, the fingerprint record of that snapshot, written
 * if it was missing or stale (a folder generated before records existed, an upgraded drizzle-kit).
 */
function recordUnchanged(folder: MigrationFolder, schema: GenerateOptions['schema']): { recorded?: string } {
  const latest = folder.latest;
  // After a hand-written migration without a snapshot, db check asks drizzle-kit: no record.
  if (!latest || folder.latestWithSnapshot !== latest) return {};
  const record = fingerprintRecord(latest.id, readFileSync(folder.snapshotFile(latest.sequence), 'utf8'), schema);
  if (!record || sameRecord(folder.path, record)) return {};
  const file = fingerprintFile(folder.path);
  writeTogether([[file, recordText(record)]]);
  return { recorded: file };
}

function emptySnapshot(): Snapshot {
  return { ...generateDrizzleJson({}), id: ORIGIN_ID, prevId: ORIGIN_ID };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
