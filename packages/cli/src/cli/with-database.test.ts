import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from './run-cli-captured.ts';
import type { CliIo } from './cli-io.ts';
import { withDatabase } from './with-database.ts';

describe('withDatabase on the embedded database', () => {
  let projectDir: string;
  let cwd: string;
  const printed: string[] = [];
  const io = (env: Record<string, string> = {}): CliIo => ({ out: (text) => printed.push(text), err: (text) => printed.push(`err: ${text}`), env, cwd });

  beforeEach(() => {
    projectDir = mkdtempSync(join(tmpdir(), 'ydtb-project-'));
    cwd = mkdtempSync(join(tmpdir(), 'ydtb-cwd-'));
    printed.length = 0;
  });

  afterEach(() => {
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  describe('when neither --data-dir nor YDTB_DATA_DIR is given', () => {
    it('should open .data/pglite in the project folder, whatever the working directory, and say so while it opens', async () => {
      const description = await withDatabase(io(), { projectDir }, async (database) => database.description);

      expect(description).toBe(`embedded PGlite at ${join(projectDir, '.data/pglite')}`);
      expect(printed).toEqual([`err: Opening the embedded PGlite at ${join(projectDir, '.data/pglite')}…`]);
      expect(existsSync(join(projectDir, '.data/pglite/PG_VERSION'))).toBe(true);
      expect(existsSync(join(cwd, '.data'))).toBe(false);
    });
  });

  describe('when --data-dir or YDTB_DATA_DIR is relative', () => {
    it.each([
      ['--data-dir', { dataDir: 'dbs/one' }, {}],
      ['YDTB_DATA_DIR', {}, { YDTB_DATA_DIR: 'dbs/one' }],
    ] as const)('should resolve %s against the working directory', async (_name, option, env) => {
      const description = await withDatabase(io(env), { ...option, projectDir }, async (database) => database.description);

      expect(description).toBe('embedded PGlite at dbs/one');
      expect(existsSync(join(cwd, 'dbs/one/PG_VERSION'))).toBe(true);
      expect(existsSync(join(projectDir, '.data'))).toBe(false);
    });
  });

  describe('when a command prints JSON', () => {
    it('should keep the opening line off standard output, which stays one JSON document', async () => {
      const { code, out, err } = await runCliCaptured(['db', 'plan', '--json', '--data-dir', join(cwd, 'db')]);

      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ database: `embedded PGlite at ${join(cwd, 'db')}` });
      expect(err).toBe(`Opening the embedded PGlite at ${join(cwd, 'db')}…`);
    });
  });
});

describe('withHostAndDatabase (db migrate)', () => {
  let cwd: string;
  const INVALID = 'packages/cli/src/cli/fixtures/invalid-modules.ts';

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'ydtb-early-'));
    // An embedded database that exists already: migrate opens it while the packages validate.
    await withDatabase({ out: () => undefined, err: () => undefined, env: {}, cwd }, { dataDir: 'db', projectDir: cwd }, async () => undefined);
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  describe('when the packages are valid and the embedded database exists', () => {
    it('should print as if it opened after validating: validated, opening, database', async () => {
      const { code, output } = await runCliCaptured(['db', 'migrate', '--dry-run', '--data-dir', join(cwd, 'db')]);

      expect(code).toBe(0);
      expect(output.split('\n').slice(0, 3)).toEqual([
        'Validated 3 packages (core and 2 installed).',
        `Opening the embedded PGlite at ${join(cwd, 'db')}…`,
        `Database: embedded PGlite at ${join(cwd, 'db')}`,
      ]);
    });
  });

  describe('when the packages are invalid and the embedded database exists', () => {
    it('should exit 3 with the violations, print nothing about the database and release it', async () => {
      const { code, output } = await runCliCaptured(['db', 'migrate', '--config', INVALID, '--data-dir', join(cwd, 'db')]);

      expect(code).toBe(3);
      expect(output).toMatch(/^Invalid packages/);
      expect(output).not.toContain('Opening');
      expect(existsSync(join(cwd, 'db.lock'))).toBe(false);
    });
  });

  describe('when the packages are invalid and there is no embedded database yet', () => {
    it('should exit 3 and create none', async () => {
      const { code } = await runCliCaptured(['db', 'migrate', '--config', INVALID, '--data-dir', join(cwd, 'new')]);

      expect(code).toBe(3);
      expect(existsSync(join(cwd, 'new'))).toBe(false);
    });
  });
});
