import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './run-cli-captured';

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

  describe('when the command line is wrong', () => {
    it('should exit 2 for an unknown command', async () => {
      const { code, err } = await ydtb('db frobnicate', dataDir);

      expect(code).toBe(2);
      expect(err).toContain('unknown command "db frobnicate"');
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
      expect(first.out).toMatch(/@ydtb\/basic 1\.0\.0: applying 0001_init/);
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
