import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../../../apps/core/src/lib/database/open-database.ts';
import type { SqlClient } from '../../../../apps/core/src/lib/database/sql-client.ts';
import { HISTORY_TABLE, historyTableExists } from '../../../../apps/core/src/lib/migrations/history.ts';
import { EXIT } from './cli-io.ts';
import { renderError } from './render-error.ts';
import { runCliCaptured } from './run-cli-captured.ts';

const ydtb = (args: string, dataDir: string) => runCliCaptured(args.split(' ').filter(Boolean), { env: { YDTB_DATA_DIR: dataDir } });
const fixtures = 'packages/cli/src/cli/fixtures';

/** Runs `work` on the embedded database in `dataDir`, as an operator with psql would. */
async function onDatabase<T>(dataDir: string, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const { client } = await openDatabase({ dataDir, cwd: process.cwd() });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

describe('ydtb CLI refusing unsafe input', () => {
  let parent: string;
  let n = 0;
  const freshDir = () => join(parent, `db-${++n}`);

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'ydtb-refusals-'));
  });

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  describe('when a migration commits the transaction and switches role', () => {
    it('should make db check exit 3 naming package, migration file and line', async () => {
      const { code, err } = await ydtb(`db check --config ${fixtures}/unsafe-migration-modules.ts`, freshDir());

      expect(code).toBe(EXIT.invalid);
      expect(err).toContain('Invalid migrations: 2 errors in migrations stop the pipeline; nothing was run.\n@test/escape\n');
      expect(err).toContain('  error ydtb/migration-transaction (0002_escape.sql, line 3): "COMMIT" controls the transaction');
      expect(err).toContain('  error ydtb/migration-role (0002_escape.sql, line 4): "SET ROLE postgres" changes the role');
      expect(err).toContain('    fix: Remove the statement.');
    });

    it('should make db migrate exit 3 and leave the database untouched', async () => {
      const dataDir = freshDir();

      const { code, err } = await ydtb(`db migrate --config ${fixtures}/unsafe-migration-modules.ts`, dataDir);

      expect(code).toBe(EXIT.invalid);
      expect(err).toContain('ydtb/migration-transaction (0002_escape.sql, line 3)');
      expect(await onDatabase(dataDir, async (client) => [await client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'ydtb_%'`), await historyTableExists(client)])).toEqual([[], false]);
    });
  });

  describe('when the history records a migration the package does not ship', () => {
    it('should make db status exit 4 and db migrate exit 1, both with the fix', async () => {
      const dataDir = freshDir();
      expect((await ydtb('db migrate', dataDir)).code).toBe(EXIT.ok);
      await onDatabase(dataDir, (client) =>
        client.query(`INSERT INTO ${HISTORY_TABLE} (package_name, migration_id, package_version, checksum, duration_ms) VALUES ('@ydtb/basic', '0002_forged', '1.0.0', '${'0'.repeat(64)}', 1)`),
      );
      const remove = `DELETE FROM ${HISTORY_TABLE} WHERE package_name = '@ydtb/basic' AND migration_id = '0002_forged';`;

      const status = await ydtb('db status', dataDir);
      const migrate = await ydtb('db migrate', dataDir);

      expect(status.code).toBe(EXIT.attention);
      expect(status.out).toContain('@ydtb/basic 1.0.0: 1 applied, 0 pending, 1 applied but no longer shipped (0002_forged)');
      expect(status.out).toContain(remove);
      expect(status.out).not.toContain('Up to date');
      expect(migrate.code).toBe(EXIT.failed);
      expect(migrate.err).toContain('@ydtb/basic 0002_forged: recorded as applied, but @ydtb/basic has no 0002_forged.sql');
      expect(migrate.err).toContain('restore it');
      expect(migrate.err).toContain(remove);
    });
  });

  describe('when the history holds migrations of a package that is not installed', () => {
    it('should make db status exit 4, and db migrate go on and say so', async () => {
      const dataDir = freshDir();
      expect((await ydtb('db migrate', dataDir)).code).toBe(EXIT.ok);

      const status = await ydtb(`db status --config ${fixtures}/../../lib/graph/fixtures/basic-modules.ts`, dataDir);
      const migrate = await ydtb(`db migrate --config ${fixtures}/../../lib/graph/fixtures/basic-modules.ts`, dataDir);

      expect(status.code).toBe(EXIT.attention);
      expect(status.out).toContain('@ydtb/crm (not installed): 2 applied in the history (0001_init, 0002_note_link_index); its tables are left as they are');
      expect(status.out).toContain(`DELETE FROM ${HISTORY_TABLE} WHERE package_name = '@ydtb/crm';`);
      expect(migrate.out).toContain('Note: the history records 2 migrations of @ydtb/crm, which is not installed; its tables are left as they are.');
      expect(migrate.out).not.toContain('applying');
    });
  });

  describe('when a migration file has an upper-case extension', () => {
    it('should exit 3 naming the file instead of skipping it', async () => {
      const { code, err } = await ydtb(`db check --config ${fixtures}/upper-case-migration-modules.ts`, freshDir());

      expect(code).toBe(EXIT.invalid);
      expect(err).toMatch(/^Invalid package migrations: Migration file "0001_init\.SQL" in .*upper-case-migrations\/: not named NNNN_<name>\.sql/);
    });
  });

  describe('when the package config lists something that is not a ContainerModule', () => {
    it('should exit 2 naming the entry', async () => {
      const { code, err } = await ydtb(`db check --config ${fixtures}/not-modules.ts`, freshDir());

      expect(code).toBe(EXIT.usage);
      expect(err).toMatch(/^error: Entry 2 of the default export of .*not-modules\.ts is an object \(Object\), not a ContainerModule\./);
    });

    it('should exit 2 naming the module whose loading throws, even a thrown plain object', async () => {
      const { code, err } = await ydtb(`db check --config ${fixtures}/throwing-modules.ts`, freshDir());

      expect(code).toBe(EXIT.usage);
      expect(err).toContain('failed at entry 2 of the default export: {"code":"E_PLAIN","reason":"module refused to load"}');
      expect(err).not.toContain('[object Object]');
    });
  });

  describe('when something throws a value that is not an Error', () => {
    it.each([
      [{ message: 'Aborted(). Build with -sASSERTIONS for more info.' }, 'error: Aborted(). Build with -sASSERTIONS for more info.'],
      [{ code: 'XX000' }, 'error: {"code":"XX000"}'],
      [Object.create(null), 'error: an error without a message (no prototype)'],
      [{}, 'error: an error without a message (Object)'],
      ['plain text', 'error: plain text'],
    ])('should print a message, never [object Object] (%#)', (thrown, text) => {
      expect(renderError(thrown)).toEqual({ text, code: EXIT.failed });
    });
  });
});
