import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMigrations } from './load-migrations.ts';
import { MigrationFolderError } from './migration-folder-error.ts';
import { thrownBy } from '../../../test/thrown.ts';

describe('loadMigrations', () => {
  let dir: string;
  // The trailing slash matters: `new URL(file, folder)` resolves inside the folder only then.
  const folder = () => pathToFileURL(`${dir}/`);
  const write = (file: string, sql: string) => writeFileSync(join(dir, file), sql);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ydtb-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when the folder holds up and down files', () => {
    it('should return them sorted by id, with down only where a down file exists', () => {
      write('0002_tags.sql', 'CREATE TABLE b();');
      write('0001_init.sql', 'CREATE TABLE a();');
      write('0001_init.down.sql', 'DROP TABLE a;');
      mkdirSync(join(dir, 'meta'));
      write('meta/snapshot.json', '{}');
      write('README.md', 'notes');

      expect(loadMigrations(folder())).toEqual([
        { id: '0001_init', sql: 'CREATE TABLE a();', down: 'DROP TABLE a;' },
        { id: '0002_tags', sql: 'CREATE TABLE b();' },
      ]);
    });
  });

  describe('when the folder does not exist', () => {
    it('should return no migrations', () => {
      expect(loadMigrations(pathToFileURL(join(dir, 'missing/')))).toEqual([]);
    });
  });

  describe('when a down file has no up file', () => {
    it('should throw naming the file', () => {
      write('0001_init.sql', 'CREATE TABLE a();');
      write('0002_gone.down.sql', 'DROP TABLE b;');

      expect(() => loadMigrations(folder())).toThrow(/"0002_gone\.down\.sql".*"0002_gone\.sql"/);
    });
  });

  describe('when a SQL file is misnamed', () => {
    it('should throw naming the file instead of skipping it', () => {
      write('1_Init.sql', 'CREATE TABLE a();');

      expect(() => loadMigrations(folder())).toThrow(/"1_Init\.sql"/);
    });
  });

  describe('when a migration has an upper-case extension', () => {
    it.each(['0002_tags.SQL', '0002_tags.Sql', '0002_tags.down.SQL'])('should reject %s loudly instead of skipping it', (file) => {
      write('0001_init.sql', 'CREATE TABLE a();');
      write(file, 'CREATE TABLE b();');

      const error = thrownBy(() => loadMigrations(folder()), MigrationFolderError);

      expect(error).toBeInstanceOf(MigrationFolderError);
      expect(error).toMatchObject({ file, folder: `${dir}/` });
      expect(error.message).toContain('extension in lower case');
    });
  });

  describe('when a migration file is a symbolic link', () => {
    it('should follow it', () => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'ydtb-shared-sql-'));
      try {
        writeFileSync(join(elsewhere, 'shared.sql'), 'CREATE TABLE shared();');
        symlinkSync(join(elsewhere, 'shared.sql'), join(dir, '0001_init.sql'));

        expect(loadMigrations(folder())).toEqual([{ id: '0001_init', sql: 'CREATE TABLE shared();' }]);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('should reject a link that leads nowhere', () => {
      symlinkSync(join(dir, 'missing.sql'), join(dir, '0001_init.sql'));

      const error = thrownBy(() => loadMigrations(folder()), MigrationFolderError);

      expect(error).toBeInstanceOf(MigrationFolderError);
      expect(error.message).toMatch(/"0001_init\.sql".*ENOENT/);
    });
  });
});
