import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/*
 * An app with its own default tsconfig (no decorator options) imports @ydtb/core and builds a
 * container, run as a real process from its own folder, so the runtime applies that tsconfig. It
 * resolves the workspaces' sources (the `@ydtb/source` condition), as the monorepo does.
 */

const run = promisify(execFile);
const app = fileURLToPath(new URL('./fixtures/consumer-app/', import.meta.url));
const tsc = fileURLToPath(new URL('../../../../node_modules/.bin/tsc', import.meta.url));

const runtimes = [
  ['Bun', 'bun', ['main.ts']],
  ['Node with the tsx loader', process.execPath, ['--conditions=@ydtb/source', '--import', 'tsx', 'main.ts']],
] as const;

describe('an app with a default tsconfig', () => {
  it('should enable no decorator option in its tsconfig', () => {
    const { compilerOptions } = JSON.parse(readFileSync(`${app}tsconfig.json`, 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(compilerOptions).not.toHaveProperty('experimentalDecorators');
    expect(compilerOptions).not.toHaveProperty('emitDecoratorMetadata');
  });

  it('should type-check against @ydtb/core with that tsconfig', async () => {
    await expect(run(tsc, ['-p', 'tsconfig.json', '--noEmit'], { cwd: app })).resolves.toMatchObject({ stdout: '' });
  });

  describe.each(runtimes)('when it runs under %s from its folder', (_name, command, args) => {
    let printed: { packages: string[]; rules: { id: string; class: string }[]; warnings: string[] };

    beforeAll(async () => {
      const { stdout } = await run(command, [...args], { cwd: app, env: { ...process.env, NODE_OPTIONS: '' } });
      printed = JSON.parse(stdout);
    });

    it('should resolve the registry with every package registered', () => {
      expect(printed.packages).toEqual(['@ydtb/basic', '@ydtb/crm']);
    });

    it('should run a subclass of a core rule in its place, constructed with the registry config', () => {
      expect(printed.rules).toContainEqual({ id: 'ydtb/table-prefix', class: 'LegacyPrefixRule' });
      expect(printed.rules.filter((rule) => rule.id === 'ydtb/table-prefix')).toHaveLength(1);
    });

    it('should keep a silenced rule listed with the silencer', () => {
      expect(printed.rules).toContainEqual({ id: 'ydtb/workspace-index', class: 'SilencedRule' });
    });

    it('should run a rule of its own with its injected setting', () => {
      expect(printed.rules.at(-1)).toEqual({ id: 'acme/table-budget', class: 'TableBudgetRule' });
      expect(printed.warnings).toEqual([
        '@ydtb/basic acme/table-budget: 2 tables, more than the budget of 1.',
        '@ydtb/crm acme/table-budget: 2 tables, more than the budget of 1.',
      ]);
    });
  });
});
