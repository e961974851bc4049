import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliCaptured } from '../run-cli-captured.ts';
import { dbGraph } from './db-graph.ts';
import { UsageError } from '../usage-error.ts';

/** Pins the packages (core and @ydtb/basic) so counts do not change as packages get installed. */
const BASIC_ONLY = ['--config', fileURLToPath(new URL('../../lib/graph/fixtures/basic-modules.ts', import.meta.url))];

/** Runs `ydtb db graph <args>` in-process. */
const graph = (args: readonly string[], cwd: string) => runCliCaptured(['db', 'graph', ...args], { cwd });

describe('dbGraph', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'ydtb-db-graph-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  describe('when run without options', () => {
    it("should print the Mermaid diagram of the packages in the working directory's config", async () => {
      const { code, out } = await graph([], process.cwd());

      expect(code).toBe(0);
      expect(out.startsWith('erDiagram\n')).toBe(true);
      expect(out).toContain('%% package @ydtb/core');
      expect(out).toContain('%% package @ydtb/basic');
      expect(out).toContain('ydtb_basic_notes ||--o{ ydtb_basic_note_tags : "workspace_id, note_id"');
    });
  });

  describe('when asked for --json', () => {
    it('should print the model it draws: packages with their tables and columns, and one relationship a foreign key', async () => {
      const { code, out } = await graph(['--json', ...BASIC_ONLY], folder);
      const model = JSON.parse(out) as { packages: { packageName: string; tables: { name: string }[] }[]; relationships: { parent: string; child: string }[] };

      expect(code).toBe(0);
      expect(model.packages.map((p) => p.packageName)).toEqual(['@ydtb/core', '@ydtb/basic']);
      expect(model.packages.flatMap((p) => p.tables).length).toBe(5);
      expect(model.relationships).toContainEqual(expect.objectContaining({ parent: 'ydtb_basic_notes', child: 'ydtb_basic_note_tags' }));
    });

    it('should refuse it beside another --format', async () => {
      const { code, err } = await graph(['--json', '--format', 'html', ...BASIC_ONLY], folder);

      expect(code).toBe(2);
      expect(err).toContain('--json is --format json; it cannot go with --format html.');
    });
  });

  describe('when asked for an HTML page in a folder that does not exist yet', () => {
    it('should create the folder, write the page and say where it went', async () => {
      const { code, out } = await graph(['--format', 'html', '--out', 'docs/db/graph.html', ...BASIC_ONLY], folder);

      const file = join(folder, 'docs/db/graph.html');
      expect(code).toBe(0);
      expect(out).toBe(`Wrote the html diagram of 2 packages (5 tables) to ${file}`);
      expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>[\s\S]*ydtb_basic_note_tags[\s\S]*<\/html>\n$/);
      expect(readdirSync(join(folder, 'docs/db'))).toEqual(['graph.html']);
    });

    it('should keep the page small: the pictures are drawn here, no renderer is inlined', async () => {
      await graph(['--format', 'html', '--out', 'small.html', ...BASIC_ONLY], folder);

      const page = readFileSync(join(folder, 'small.html'), 'utf8');
      expect(page.match(/<g class="er-table"/g)).toHaveLength(5);
      expect(statSync(join(folder, 'small.html')).size).toBeLessThan(50_000);
    });
  });

  describe('when asked for Mermaid text in a file', () => {
    it('should write the same text it would print', async () => {
      const printed = await graph(BASIC_ONLY, folder);

      const { code } = await graph(['--out', 'graph.mmd', ...BASIC_ONLY], folder);

      expect(code).toBe(0);
      expect(readFileSync(join(folder, 'graph.mmd'), 'utf8')).toBe(`${printed.out}\n`);
    });
  });

  describe('when the command line is wrong', () => {
    it('should reject an unknown format as a usage error', async () => {
      await expect(dbGraph.run(['--format', 'svg'], { out: () => {}, err: () => {}, env: {}, cwd: folder })).rejects.toThrow(UsageError);

      const { code, err } = await graph(['--format', 'svg'], folder);
      expect(code).toBe(2);
      expect(err).toContain('--format must be mermaid or html or json, not "svg"');
      expect(existsSync(join(folder, 'svg'))).toBe(false);
    });

    it('should print its usage for --help', async () => {
      const { code, out } = await graph(['--help'], folder);

      expect(code).toBe(0);
      expect(out).toContain('Usage: ydtb db graph [--format mermaid|html|json] [--json] [--out <file>]');
    });
  });
});
