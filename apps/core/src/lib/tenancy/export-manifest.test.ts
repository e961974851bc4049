import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectionOf, thrownBy } from '../../../../../test/thrown.ts';
import { MANIFEST_FORMAT, readManifest, requireEmptyFolder, tableFileName, verifyChecksums, writeManifest, type ExportManifest } from './export-manifest.ts';
import { TransferRefusedError } from './transfer-refused-error.ts';

/*
 * The export folder's manifest on real files: what is written is read back, and every way a
 * folder can differ from its manifest is refused before an import or restore writes anything.
 */

const NOTES = '["n1","ws_a","First"]\n["n2","ws_a","Second"]\n["n3","ws_a","Third"]\n';
const TAGS = '["n1","urgent"]\n';

function entry(index: number, table: string, text: string, columns: string[]) {
  return {
    file: tableFileName(index, table),
    table,
    packageName: '@ydtb/basic',
    columns,
    rows: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

describe('the export manifest', () => {
  let dir: string;
  let manifest: ExportManifest;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ydtb-manifest-'));
    manifest = {
      format: MANIFEST_FORMAT,
      kind: 'workspace',
      workspaceId: 'ws_a',
      exportedAt: '2026-01-01T00:00:00.000Z',
      packages: [{ name: '@ydtb/basic', version: '1.0.0' }],
      tables: [entry(0, 'ydtb_basic_notes', NOTES, ['id', 'workspace_id', 'title']), entry(1, 'ydtb_basic_note_tags', TAGS, ['note_id', 'tag'])],
    };
    writeFileSync(join(dir, '001_ydtb_basic_notes.jsonl'), NOTES);
    writeFileSync(join(dir, '002_ydtb_basic_note_tags.jsonl'), TAGS);
    await writeManifest(dir, manifest);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when the folder is as it was written', () => {
    it('should read the manifest back and find every file intact', async () => {
      expect(readManifest(dir)).toEqual(manifest);
      await expect(verifyChecksums(dir, manifest)).resolves.toBeUndefined();
    });

    it('should number table files from 001 in dependency order', () => {
      expect([tableFileName(0, 'ydtb_users'), tableFileName(41, 'ydtb_basic_notes')]).toEqual(['001_ydtb_users.jsonl', '042_ydtb_basic_notes.jsonl']);
    });
  });

  describe('when files differ from the manifest', () => {
    it('should list every file that is missing or changed, in one refusal', async () => {
      rmSync(join(dir, '001_ydtb_basic_notes.jsonl'));
      writeFileSync(join(dir, '002_ydtb_basic_note_tags.jsonl'), TAGS.replace('urgent', 'urgenT'));

      const error = await rejectionOf(verifyChecksums(dir, manifest));

      expect(error).toBeInstanceOf(TransferRefusedError);
      expect(error).toMatchObject({
        problem: 'checksum',
        details: ['001_ydtb_basic_notes.jsonl: missing', expect.stringMatching(/^002_ydtb_basic_note_tags\.jsonl: sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/)],
      });
      expect(error.message.split('\n')[0]).toBe(`The export in ${dir} is damaged: 2 file(s) differ from its manifest. Nothing was written; export again or use an intact copy.`);
    });

    it('should refuse a manifest whose row count or size does not match an intact file', async () => {
      const edited = { ...manifest, tables: [{ ...manifest.tables[0]!, rows: 2 }, { ...manifest.tables[1]!, bytes: 99 }] };

      expect(await rejectionOf(verifyChecksums(dir, edited))).toMatchObject({
        problem: 'checksum',
        details: [`001_ydtb_basic_notes.jsonl: 3 rows in ${Buffer.byteLength(NOTES)} bytes, the manifest says 2 in ${Buffer.byteLength(NOTES)}`, `002_ydtb_basic_note_tags.jsonl: 1 rows in ${Buffer.byteLength(TAGS)} bytes, the manifest says 1 in 99`],
      });
    });
  });

  describe('when the manifest itself is wrong', () => {
    it('should refuse a folder without one, one that is not JSON, and one of another format', () => {
      const empty = mkdtempSync(join(tmpdir(), 'ydtb-manifest-empty-'));
      try {
        expect(thrownBy(() => readManifest(empty), TransferRefusedError)).toMatchObject({ problem: 'no-manifest' });
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
      writeFileSync(join(dir, 'manifest.json'), '{ not json');
      expect(thrownBy(() => readManifest(dir), TransferRefusedError)).toMatchObject({ problem: 'bad-manifest' });
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 'ydtb-export/0', tables: [{ ...manifest.tables[0], file: '1_notes.jsonl' }] }));
      expect(thrownBy(() => readManifest(dir), TransferRefusedError)).toMatchObject({
        problem: 'bad-manifest',
        details: [expect.stringMatching(/^format: /), expect.stringMatching(/^tables\.0\.file: /)],
      });
    });
  });

  describe('when an export is written into a folder', () => {
    it('should accept a new or empty folder and refuse one holding any file', () => {
      const empty = mkdtempSync(join(tmpdir(), 'ydtb-manifest-empty-'));
      try {
        expect(() => requireEmptyFolder(empty)).not.toThrow();
        expect(() => requireEmptyFolder(join(empty, 'new'))).not.toThrow();
        writeFileSync(join(empty, 'one'), '');
        expect(thrownBy(() => requireEmptyFolder(empty), TransferRefusedError)).toMatchObject({ problem: 'folder-not-empty' });
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
      expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    });
  });
});
