import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './run-cli-captured.ts';

/** Runs the CLI in-process against an embedded database in `dataDir`. */
const ydtb = (args: string, dataDir: string) => runCliCaptured(args.split(' ').filter(Boolean), { env: { YDTB_DATA_DIR: dataDir } });

describe('ydtb CLI', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ydtb-cli-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('when asked for help', () => {
    it('should list every command', async () => {
      const { code, out } = await ydtb('--help', dataDir);

      expect(code).toBe(0);
      for (const command of ['db check', 'db plan', 'db migrate', 'db status', 'db generate', 'db graph']) expect(out).toContain(command);
    });

    it.each(['check', 'plan', 'migrate', 'status', 'generate', 'graph'])('should print the usage of db %s', async (command) => {
      const { code, out } = await ydtb(`db ${command} --help`, dataDir);

      expect(code).toBe(0);
      expect(out).toContain(`Usage: ydtb db ${command}`);
    });
  });

  describe('when asked for the version', () => {
    it.each(['--version', '-v'])('should print the version of @ydtb/cli for %s', async (flag) => {
      const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

      const { code, out, err } = await ydtb(flag, dataDir);

      expect({ code, out, err }).toEqual({ code: 0, out: version, err: '' });
    });
  });

  describe('when the command line is wrong', () => {
    it('should exit 2 for an unknown command, with the list of commands', async () => {
      const { code, err } = await ydtb('db frobnicate', dataDir);

      expect(code).toBe(2);
      expect(err).toContain('unknown command "db frobnicate"');
      expect(err).toContain('Usage: ydtb <command> [options]');
    });

    it.each([
      ['db stauts', 'db status'],
      ['status --json', 'db status'],
      ['db migarte', 'db migrate'],
    ])('should ask whether "%s" meant the nearest command', async (line, meant) => {
      const { code, out, err } = await ydtb(line, dataDir);

      expect({ code, out }).toEqual({ code: 2, out: '' });
      expect(err).toBe(`error: unknown command "${line}". Did you mean "ydtb ${meant}"?`);
    });

    // Every way a command line can be wrong: the error goes to standard error, nothing to standard output.
    it.each([
      '',
      'db',
      'db frobnicate',
      'deploy',
      'db check --colour',
      'db check extra',
      'db generate',
      'db generate @ydtb/nope',
      'db graph --format png',
      'db graph --out=',
      'db plan --config no-such-config.ts',
      'db check --config packages/cli/src/cli/fixtures/not-modules.ts',
    ])('should exit 2 and print only on standard error for "%s"', async (line) => {
      const { code, out, err } = await ydtb(line, dataDir);

      expect({ code, out }).toEqual({ code: 2, out: '' });
      expect(err).toMatch(/^error: /);
    });

    it('should exit 2 for an unknown option', async () => {
      const { code, err } = await ydtb('db check --colour', dataDir);

      expect(code).toBe(2);
      expect(err).toContain("Unknown option '--colour'");
    });
  });

  describe('when a package is invalid', () => {
    it('should exit 3 and render every violation grouped by package, with fixes', async () => {
      const { code, err } = await ydtb('db check --config packages/cli/src/cli/fixtures/invalid-modules.ts', dataDir);

      expect(code).toBe(3);
      expect(err).toContain('@test/broken\n  error ydtb/table-prefix (table "contacts")');
      expect(err).toContain('error ydtb/workspace-fk');
      expect(err).toContain('error ydtb/semver');
      expect(err).toContain('fix: ');
    });
  });

  describe('when run on the embedded database with @ydtb/basic installed', () => {
    it('should validate without a database', async () => {
      const { code, out } = await ydtb('db check', dataDir);

      expect(code).toBe(0);
      expect(out).toContain('@ydtb/core -> @ydtb/basic -> @ydtb/crm');
    });

    it('should plan, migrate, report a second run as a no-op, and show status', async () => {
      const plan = await ydtb('db plan --json', dataDir);
      expect(plan.code).toBe(0);
      const planned = JSON.parse(plan.out);
      expect(planned.packages.map((p: { packageName: string }) => p.packageName)).toEqual(['@ydtb/core', '@ydtb/basic', '@ydtb/crm']);
      expect(planned.packages[1].pending[0].sql).toContain('CREATE TABLE');

      const dryRun = await ydtb('db migrate --dry-run', dataDir);
      expect(dryRun.out).toContain('Dry run: would apply');

      const pendingStatus = await ydtb('db status', dataDir);
      expect(pendingStatus.code).toBe(4);

      const first = await ydtb('db migrate', dataDir);
      expect(first.err).toBe(`Opening the embedded PGlite at ${dataDir}…`);
      expect(first.code).toBe(0);
      // A line a package, then a line a migration as it runs.
      expect(first.out).toMatch(/\n  @ydtb\/basic 1\.0\.0: applying 1 migration…\n    0001_init \(\d+ ms\)\n  @ydtb\/basic: 1 applied, 2 tables secured, in \d+ ms\n/);
      expect(first.out).toContain('Verified: all');

      const second = await ydtb('db migrate', dataDir);
      expect(second.code).toBe(0);
      expect(second.out).toContain('Nothing to migrate: the database is already up to date.');

      const status = await ydtb('db status --json', dataDir);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.out)).toMatchObject({
        upToDate: true,
        packages: [{ packageName: '@ydtb/core' }, { packageName: '@ydtb/basic', pending: [] }, { packageName: '@ydtb/crm', pending: [] }],
      });
    });
  });
});
