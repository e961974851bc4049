import { runCliCaptured } from '../run-cli-captured.ts';

/** `db check` needs no database: no data directory is touched. */
const check = (...args: string[]) => runCliCaptured(['db', 'check', ...args]);

describe('ydtb db check', () => {
  describe('when the installed packages are valid', () => {
    it('should report them in migration order as JSON with --json', async () => {
      const { code, out } = await check('--json');

      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual({
        valid: true,
        order: ['@ydtb/core', '@ydtb/basic', '@ydtb/crm'],
        warnings: [],
        globalTables: [],
        uncovered: [],
        unsafeStatements: [],
      });
    });
  });

  describe('when a shipped migration controls the transaction', () => {
    it('should list the statement with its file and line in the JSON and exit 3', async () => {
      const { code, out } = await check('--json', '--config', 'packages/cli/src/cli/fixtures/unsafe-migration-modules.ts');

      expect(code).toBe(3);
      const report = JSON.parse(out);
      expect(report.valid).toBe(false);
      expect(report.unsafeStatements).toEqual([
        expect.objectContaining({ rule: 'ydtb/migration-transaction', migration: '0002_escape', line: 3 }),
        expect.objectContaining({ rule: 'ydtb/migration-role', migration: '0002_escape', line: 4 }),
      ]);
    });
  });

  describe('when a shipped migration drops a column without allowing it', () => {
    it('should list the safety finding in the JSON and exit 3', async () => {
      const { code, out } = await check('--json', '--config', 'packages/cli/src/cli/fixtures/dropping-migration-modules.ts');

      expect(code).toBe(3);
      const report = JSON.parse(out);
      expect(report.valid).toBe(false);
      expect(report.unsafeStatements).toEqual([
        expect.objectContaining({ rule: 'ydtb/lint-drop-column', severity: 'error', packageName: '@test/archive', migration: '0002_drop_legacy', line: 2 }),
      ]);
    });
  });

  describe('when a package declares global tables', () => {
    it('should list each with its package and reason', async () => {
      const { out } = await check('--config', 'apps/core/src/lib/registry/fixtures/billing-module.ts');

      expect(out).toContain(
        'Global tables (no workspace\'s data; every workspace may read them):\n' +
          '  @fixtures/billing ydtb_billing_currencies: ISO 4217 currencies: the same list for every workspace',
      );
    });
  });

  describe('when a package is invalid', () => {
    it('should print every violation as JSON and exit 3 with --json', async () => {
      const { code, out } = await check('--json', '--config', 'packages/cli/src/cli/fixtures/invalid-modules.ts');

      expect(code).toBe(3);
      expect(JSON.parse(out)).toEqual({
        valid: false,
        violations: expect.arrayContaining([expect.objectContaining({ rule: 'ydtb/table-prefix', table: 'contacts', packageName: '@test/broken' })]),
      });
    });
  });
});
