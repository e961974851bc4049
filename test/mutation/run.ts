import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATIONS, type Mutation } from './mutations';

const HELP = `bun run mutate [--only <id,…>] [--list] [--json] [--help]

Puts each hand-written mutation of test/mutation/mutations.ts into its file, runs the test files
that exist to catch it (Jest, as bun run test does), and puts the file back. A mutation is
killed when those tests fail, survived when they pass. First runs each set of test files
unmutated: a set that fails as it is would make every mutation look killed, so it stops there.

  --only <id,…>  run some mutations only
  --list         print the mutations and exit
  --json         print {"results": [...], "killed", "survived", "score"} instead of a table

Exit code 0 when every mutation was killed, 1 when one survived, 2 on bad usage, a stale
mutation (its text is not exactly once in its file) or a test set failing unmutated.`;

const root = fileURLToPath(new URL('../..', import.meta.url));
const jest = join(root, 'node_modules/jest/bin/jest.js');

interface Outcome {
  readonly id: string;
  readonly area: string;
  readonly bug: string;
  readonly status: 'killed' | 'survived';
  readonly seconds: number;
}

function parse(argv: readonly string[]): { only?: Set<string>; list: boolean; json: boolean } | undefined {
  let only: Set<string> | undefined;
  let list = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only' && argv[i + 1]) only = new Set(argv[++i]!.split(',').map((s) => s.trim()).filter(Boolean));
    else if (arg === '--list') list = true;
    else if (arg === '--json') json = true;
    else return undefined;
  }
  return { only, list, json };
}

/** Runs Jest on the mutation's tests; true when they all passed. */
function testsPass(mutation: Pick<Mutation, 'tests' | 'testNamePattern'>): boolean {
  const args = [jest, '--silent', '--ci', ...(mutation.testNamePattern ? ['-t', mutation.testNamePattern] : []), ...mutation.tests];
  const run = spawnSync('node', args, {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return run.status === 0;
}

const originals = new Map<string, string>();

/** Puts every mutated file back as it was. */
function restoreAll(): void {
  for (const [file, text] of originals) writeFileSync(file, text);
  originals.clear();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    restoreAll();
    process.exit(130);
  });
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (!options || process.argv.includes('--help')) {
    console.log(HELP);
    return options ? 0 : 2;
  }
  const unknown = [...(options.only ?? [])].filter((id) => !MUTATIONS.some((m) => m.id === id));
  if (unknown.length > 0) {
    console.error(`Unknown mutation ${unknown.join(', ')}; bun run mutate --list names them.`);
    return 2;
  }
  const chosen = MUTATIONS.filter((m) => !options.only || options.only.has(m.id));
  if (options.list) {
    for (const m of chosen) console.log(`${m.id.padEnd(32)} ${m.area.padEnd(16)} ${m.bug}`);
    return 0;
  }

  // Every mutation must still apply: its text exactly once in its file.
  const stale = chosen.filter((m) => readFileSync(join(root, m.file), 'utf8').split(m.find).length !== 2);
  if (stale.length > 0) {
    console.error(`Stale mutations (their text is not exactly once in their file): ${stale.map((m) => `${m.id} (${m.file})`).join(', ')}.`);
    return 2;
  }

  const sets = new Map<string, Pick<Mutation, 'tests' | 'testNamePattern'>>();
  for (const m of chosen) sets.set(JSON.stringify([m.tests, m.testNamePattern ?? null]), m);
  for (const set of sets.values()) {
    const started = performance.now();
    if (!testsPass(set)) {
      console.error(`These tests fail without any mutation, so they cannot judge one: ${set.tests.join(' ')}${set.testNamePattern ? ` -t "${set.testNamePattern}"` : ''}`);
      return 2;
    }
    progress(`unmutated: pass  ${set.tests.map((t) => t.split('/').at(-1)).join(', ')}${set.testNamePattern ? ` -t "${set.testNamePattern}"` : ''} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  const outcomes: Outcome[] = [];
  for (const m of chosen) {
    const file = join(root, m.file);
    const original = readFileSync(file, 'utf8');
    originals.set(file, original);
    const started = performance.now();
    let passed: boolean;
    try {
      writeFileSync(file, original.replace(m.find, () => m.replace));
      passed = testsPass(m);
    } finally {
      restoreAll();
    }
    const outcome: Outcome = { id: m.id, area: m.area, bug: m.bug, status: passed ? 'survived' : 'killed', seconds: (performance.now() - started) / 1000 };
    outcomes.push(outcome);
    progress(`${outcome.status.padEnd(8)} ${m.id} (${outcome.seconds.toFixed(1)} s)`);
  }

  const killed = outcomes.filter((o) => o.status === 'killed').length;
  const survived = outcomes.length - killed;
  const score = outcomes.length ? killed / outcomes.length : 1;
  if (options.json) {
    console.log(JSON.stringify({ results: outcomes, killed, survived, score }, null, 2));
  } else {
    console.log(['status    area              mutation                          bug', ...outcomes.map((o) => `${o.status.padEnd(9)} ${o.area.padEnd(17)} ${o.id.padEnd(33)} ${o.bug}`)].join('\n'));
    const byArea = new Map<string, { killed: number; total: number }>();
    for (const o of outcomes) {
      const a = byArea.get(o.area) ?? { killed: 0, total: 0 };
      byArea.set(o.area, { killed: a.killed + (o.status === 'killed' ? 1 : 0), total: a.total + 1 });
    }
    console.log(`\n${[...byArea].map(([area, a]) => `${area} ${a.killed}/${a.total}`).join(', ')}`);
    console.log(`Mutation score: ${killed} of ${outcomes.length} killed (${(score * 100).toFixed(1)} %), ${survived} survived.`);
  }
  return survived > 0 ? 1 : 0;
}

process.exitCode = await main();
