import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

/** The file every export folder holds beside its table files. */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'ydtb-export/1';

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  /** `workspace`: one workspace's rows (ydtb workspace export); `package`: every row of one package's tables (ydtb db uninstall). */
  kind: z.enum(['workspace', 'package']),
  workspaceId: z.string().min(1).optional(),
  packageName: z.string().min(1).optional(),
  exportedAt: z.string(),
  /** The packages the rows belong to or depend on, at the versions they were exported from. */
  packages: z.array(z.object({ name: z.string().min(1), version: z.string().min(1) })),
  /** One entry a table file, in dependency order: a table comes after every table it references. */
  tables: z.array(
    z.object({
      file: z.string().regex(/^[0-9]{3}_[a-z0-9_]+\.jsonl$/),
      table: z.string().min(1),
      packageName: z.string().min(1),
      /** The columns of each line's JSON array, in order; generated columns are left out (PostgreSQL computes them). */
      columns: z.array(z.string().min(1)).min(1),
      rows: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

export type ExportManifest = z.infer<typeof manifestSchema>;
export type ManifestTable = ExportManifest['tables'][number];

/** The file name of the `index`th table (from 0): the number keeps `ls` in dependency order. */
export function tableFileName(index: number, table: string): string {
  return `${String(index + 1).padStart(3, '0')}_${table}.jsonl`;
}

export async function writeManifest(dir: string, manifest: ExportManifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Refuses a folder that already holds files: an export never mixes with or overwrites another. */
export function requireEmptyFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new TransferRefusedError('folder-not-empty', `The folder ${dir} is not empty; nothing was exported. Name a new or empty folder.`);
  }
}

/** Reads and validates the manifest of an export folder. */
export function readManifest(dir: string): ExportManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new TransferRefusedError('no-manifest', `No ${MANIFEST_FILE} in ${dir}: name a folder written by ydtb workspace export or ydtb db uninstall --export.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TransferRefusedError('bad-manifest', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); nothing was written.`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new TransferRefusedError('bad-manifest', `${file} is not an export manifest of this version (${MANIFEST_FORMAT}); nothing was written.`, problems);
  }
  return parsed.data;
}

/**
 * Reads every table file once, streaming, and compares its sha256, size and line count with the
 * manifest, before anything is written: a corrupted or edited file refuses the whole folder.
 */
export async function verifyChecksums(dir: string, manifest: ExportManifest): Promise<void> {
  const bad: string[] = [];
  for (const entry of manifest.tables) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) {
      bad.push(`${entry.file}: missing`);
      continue;
    }
    const { sha256, bytes, lines } = await digestFile(path);
    if (sha256 !== entry.sha256) bad.push(`${entry.file}: sha256 ${sha256}, the manifest says ${entry.sha256}`);
    else if (bytes !== entry.bytes || lines !== entry.rows) bad.push(`${entry.file}: ${lines} rows in ${bytes} bytes, the manifest says ${entry.rows} in ${entry.bytes}`);
  }
  if (bad.length > 0) {
    throw new TransferRefusedError('checksum', `The export in ${dir} is damaged: ${bad.length} file(s) differ from its manifest. Nothing was written; export again or use an intact copy.`, bad);
  }
}

async function digestFile(path: string): Promise<{ sha256: string; bytes: number; lines: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  }
  return { sha256: hash.digest('hex'), bytes, lines };
}
