import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliCaptured } from '../packages/cli/src/cli/run-cli-captured';
import { closeTemplatePglite } from './test-databases';

/*
 * Every code block of the package authors' guide is exercised: source blocks must be excerpts
 * of the file they name, commands must succeed, printed output must match what the CLI prints.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const guide = readFileSync(join(root, 'docs/package-authors.md'), 'utf8');
const blocks = [...guide.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang: lang!, body: body!.replace(/\n$/, '') }));

function ydtb(commandLine: string, dataDir: string) {
  const args = commandLine.replace(/^bun run ydtb /, '').split(/\s+/).filter(Boolean);
  return runCliCaptured(args, { cwd: root, env: { YDTB_DATA_DIR: dataDir } });
}

/** True when every line of `excerpt` appears in `file`, in order. */
function isExcerptOf(excerpt: string[], file: string[]): boolean {
  let at = 0;
  for (const line of excerpt) {
    const found = file.findIndex((candidate, index) => index >= at && candidate.trimEnd() === line.trimEnd());
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

describe('docs/package-authors.md', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ydtb-docs-'));

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await closeTemplatePglite();
  });

  it('should have code blocks of known kinds only', () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((b) => !['ts', 'json', 'sh', 'console'].includes(b.lang))).toEqual([]);
  });

  describe('when a block shows source', () => {
    const sources = blocks.filter((b) => b.lang === 'ts' || b.lang === 'json');

    it.each(sources.map((b, i) => [i, b.body.split('\n')[0], b] as const))('should be an excerpt of the named file (#%i, %s)', (_i, header, block) => {
      const file = /^\/\/ file: (\S+)$/.exec(header ?? '')?.[1];
      expect(file).toBeDefined();
      const lines = readFileSync(join(root, file!), 'utf8').split('\n');
      expect(isExcerptOf(block.body.split('\n').slice(1), lines)).toBe(true);
    });
  });

  describe('when blocks are commands and output', () => {
    it('should run every command successfully and print what the guide shows', async () => {
      for (const block of blocks.filter((b) => b.lang === 'sh' || b.lang === 'console')) {
        if (block.lang === 'sh') {
          for (const line of block.body.split('\n').filter(Boolean)) {
            expect(line).toMatch(/^bun run ydtb /);
            const { code, output } = await ydtb(line, dataDir);
            expect({ line, code, output }).toEqual({ line, code: 0, output: expect.any(String) });
          }
        } else {
          const [command, ...expected] = block.body.split('\n');
          const { output } = await ydtb(command!.replace(/^\$ /, ''), dataDir);
          expect(output).toBe(expected.join('\n'));
        }
      }
    });
  });
});
