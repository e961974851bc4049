import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMigrations } from './load-migrations';

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
});
