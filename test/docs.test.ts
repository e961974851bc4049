import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliCaptured } from '../packages/cli/src/cli/run-cli-captured';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { isolationSql } from '../apps/core/src/lib/isolation/policy-sql';
import { packageRole } from '../apps/core/src/lib/package-roles/package-role';
import { createContainer } from '../apps/core/src/lib/registry/container';
import { DatabaseRegistry } from '../apps/core/src/lib/registry/database';
import { closeTemplatePglite } from './test-databases';

/*
 * Every code block of README.md and of the package authors' guide is exercised: source blocks
 * must be contiguous excerpts of the file they name, commands must succeed and print what any
 * console block shows them printing (set-up steps must be what CI runs), printed output must
 * match what the CLI prints, SQL must be what the pipeline runs. A check that asserted nothing fails.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const DOCUMENTS = ['README.md', 'docs/package-authors.md'];
const ci = readFileSync(join(root, '.ci/run'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Block {
  readonly lang: string;
  readonly body: string;
}

function blocksOf(document: string): Block[] {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang: lang!, body: body!.replace(/\n$/, '') }));
}

/** True when the lines of `excerpt` appear in `file` one after another, with nothing left out between them. */
function isExcerptOf(excerpt: string[], file: string[]): boolean {
  const want = excerpt.map((line) => line.trimEnd());
  const have = file.map((line) => line.trimEnd());
  for (let start = 0; start + want.length <= have.length; start++) {
    if (want.every((line, i) => have[start + i] === line)) return true;
  }
  return false;
}

/** The commands of a console block with the output shown for each. */
function commandsOf(block: Block): { command: string; expected: string }[] {
  return block.body
    .split(/^\$ /m)
    .filter(Boolean)
    .map((part) => part.replace(/\n$/, '').split('\n'))
    .map(([command, ...expected]) => ({ command: command!, expected: expected.join('\n') }));
}

/**
 * What the documents show a `bun run ydtb …` command printing on an empty database: the first
 * command of every console block (each console block starts from an empty one).
 */
const shownOnEmptyDatabase = new Map<string, string[]>();
for (const document of DOCUMENTS) {
  for (const block of blocksOf(document).filter((b) => b.lang === 'console')) {
    const [first] = commandsOf(block);
    if (first) shownOnEmptyDatabase.set(first.command, [...(shownOnEmptyDatabase.get(first.command) ?? []), first.expected]);
  }
}

/** Timings and times differ from run to run, and the test's data folder is not the default one. */
function normalise(output: string, dataDir: string): string {
  return output
    .split(dataDir)
    .join('.data/pglite')
    .replace(/\b\d+ ms\b/g, 'N ms')
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, 'YYYY-MM-DDTHH:MM:SSZ');
}

describe.each(DOCUMENTS)('%s', (document) => {
  const blocks = blocksOf(document);
  // Set-up and shell blocks share one database; each console block starts from an empty one.
  const dataDirs: string[] = [];
  const freshDataDir = () => dataDirs[dataDirs.push(mkdtempSync(join(tmpdir(), 'ydtb-docs-'))) - 1]!;
  const shellDataDir = freshDataDir();
  const ydtb = (commandLine: string, dataDir = shellDataDir) => {
    const args = commandLine.replace(/^bun run ydtb /, '').split(/\s+/).filter(Boolean);
    return runCliCaptured(args, { cwd: root, env: { YDTB_DATA_DIR: dataDir } });
  };

  afterAll(async () => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await closeTemplatePglite();
  });

  // A check that found nothing to check has proved nothing: it fails.
  beforeEach(() => expect.hasAssertions());

  it('should have code blocks of known kinds only', () => {
    expect(blocks.length).toBeGreaterThan(4);
    expect(blocks.filter((b) => !['ts', 'json', 'sh', 'console', 'sql'].includes(b.lang))).toEqual([]);
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

  describe('when a block shows SQL', () => {
    // it.each of no block fails: each document shows the isolation SQL at least once.
    it.each(blocks.filter((b) => b.lang === 'sql').map((b, i) => [i, b] as const))('should be what the pipeline runs (#%i)', (_i, block) => {
      const table = /^ALTER TABLE "(\w+)"/.exec(block.body)?.[1];
      expect(table).toBeDefined();
      const owner = createContainer([basicModule, crmModule]).get(DatabaseRegistry).list().find((p) => p.tables.some((t) => t.config.name === table));
      expect(owner).toBeDefined();
      expect(block.body).toBe(isolationSql(table!, 'workspace_id', packageRole(owner!.registration.packageName)));
    });
  });

  describe('when blocks are commands and output', () => {
    it('should run every command successfully and print what the document shows', async () => {
      for (const block of blocks.filter((b) => b.lang === 'sh' || b.lang === 'console')) {
        if (block.lang === 'sh') {
          const lines = block.body.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
          for (const line of lines) await runStep(line);
        } else {
          const dataDir = freshDataDir();
          for (const { command, expected } of commandsOf(block)) {
            const { output } = await ydtb(command, dataDir);
            expect({ command, output: normalise(output, dataDir) }).toEqual({ command, output: normalise(expected, dataDir) });
          }
        }
      }
    }, 120_000);
  });

  /** A set-up step must be one CI runs too; a `ydtb` command is run and must succeed. */
  async function runStep(line: string): Promise<void> {
    for (const step of line.split('&&').map((s) => s.trim())) {
      if (step.startsWith('bun run ydtb ')) {
        const { code, output } = await ydtb(step);
        expect({ step, code }).toEqual({ step, code: 0 });
        // Where a console block shows what this command prints, it must print that.
        const shown = shownOnEmptyDatabase.get(step);
        if (shown) {
          const printed = normalise(output, shellDataDir);
          const documented = shown.map((o) => normalise(o, shellDataDir));
          expect({ step, output: printed }).toEqual({ step, output: documented.includes(printed) ? printed : documented[0] });
        }
      } else if (step === 'bun run test') {
        expect(scripts.test).toBeDefined();
        expect(ci).toContain('bun run test');
      } else {
        expect({ step, inCi: ci.includes(step) }).toEqual({ step, inCi: true });
      }
    }
  }
});
