import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MigrationFolder } from './migration-folder.ts';
import { FINGERPRINT_FORMAT, schemaFingerprint } from './schema-fingerprint.ts';

/**
 * `meta/_schema_fingerprint.json`: the fingerprint of the schema the latest snapshot was
 * generated from, written by `ydtb db generate` beside the snapshot. `db check` compares it with
 * the schema now: equal means no migration is missing, without loading drizzle-kit. Its name
 * starts with "_", so drizzle-kit does not read it as a snapshot (as `_journal.json`).
 */
export interface FingerprintRecord {
  readonly format: number;
  /** The migration whose snapshot this is. */
  readonly migration: string;
  /** sha256 of that snapshot file as written: an edited or replaced snapshot does not match. */
  readonly snapshotSha256: string;
  /** `schemaFingerprint()` of the schema that snapshot was generated from. */
  readonly schemaSha256: string;
  /** The versions that generated the snapshot and read the schema: another version may read it otherwise. */
  readonly drizzleKit: string;
  readonly drizzleOrm: string;
}

export const FINGERPRINT_FILE = '_schema_fingerprint.json';

export function fingerprintFile(folder: string): string {
  return join(folder, 'meta', FINGERPRINT_FILE);
}

/** The record for a snapshot about to be written; undefined when the schema cannot be fingerprinted. */
export function fingerprintRecord(migration: string, snapshotText: string, schema: Readonly<Record<string, unknown>>): FingerprintRecord | undefined {
  const schemaSha256 = schemaFingerprint(schema);
  if (schemaSha256 === undefined) return undefined;
  return { format: FINGERPRINT_FORMAT, migration, snapshotSha256: sha256(snapshotText), schemaSha256, ...toolVersions() };
}

/**
 * True only when the package's migrations certainly cover its schema: the folder's latest
 * migration has a snapshot, the record was written for that snapshot as it is now, by the same
 * drizzle-kit and drizzle-orm, and the schema's fingerprint equals the recorded one. Any doubt
 * (no record, another version, an unreadable schema) is false: ask drizzle-kit. Checking many
 * packages, read `installed` once with `toolVersions()`.
 */
export function schemaMatchesRecord(
  packageName: string,
  schema: Readonly<Record<string, unknown>>,
  folder: string,
  installed: ToolVersions = toolVersions(),
): boolean {
  const migrations = new MigrationFolder(packageName, folder);
  const latest = migrations.latest;
  if (!latest) return false;
  const record = readRecord(fingerprintFile(folder));
  if (!record || record.format !== FINGERPRINT_FORMAT || record.migration !== latest.id) return false;
  if (record.drizzleKit !== installed.drizzleKit || record.drizzleOrm !== installed.drizzleOrm) return false;
  const snapshot = migrations.snapshotFile(latest.sequence);
  if (!existsSync(snapshot) || sha256(readFileSync(snapshot, 'utf8')) !== record.snapshotSha256) return false;
  return schemaFingerprint(schema) === record.schemaSha256;
}

/** Whether the folder's record is the one `record` would write. */
export function sameRecord(folder: string, record: FingerprintRecord): boolean {
  const existing = readRecord(fingerprintFile(folder));
  return existing !== undefined && JSON.stringify(existing) === JSON.stringify(record);
}

export function recordText(record: FingerprintRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function readRecord(file: string): FingerprintRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<FingerprintRecord> | null;
    const fields = ['format', 'migration', 'snapshotSha256', 'schemaSha256', 'drizzleKit', 'drizzleOrm'] as const;
    if (!value || fields.some((field) => value[field] === undefined)) return undefined;
    return Object.fromEntries(fields.map((field) => [field, value[field]])) as unknown as FingerprintRecord;
  } catch {
    // An unreadable record is no record: drizzle-kit decides.
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const require = createRequire(import.meta.url);

export interface ToolVersions {
  readonly drizzleKit: string;
  readonly drizzleOrm: string;
}

/** The installed drizzle-kit and drizzle-orm, read from their package.json without loading them. */
export function toolVersions(): ToolVersions {
  return { drizzleKit: versionOf('drizzle-kit', 'drizzle-kit/api'), drizzleOrm: versionOf('drizzle-orm', 'drizzle-orm') };
}

function versionOf(name: string, entry: string): string {
  // Neither exports its package.json: find it above a file it does export.
  for (let folder = dirname(require.resolve(entry)); ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && manifest.version) return manifest.version;
    }
    if (dirname(folder) === folder) throw new Error(`Cannot find the package.json of ${name}.`);
  }
}
