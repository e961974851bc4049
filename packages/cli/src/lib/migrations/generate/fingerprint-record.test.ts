import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContainer } from '../../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../../apps/core/src/lib/registry/database.ts';
import { resolvePackageRoot } from '../../../../../../apps/core/src/lib/migrations/package-root.ts';
import installedPackages from '../../../../../../ydtb.config.ts';
import realWorldPackages from '../../../../../../test/fixtures/real-world.config.ts';
import { generatePackageMigration } from '../generate-migration.ts';
import { fingerprintSchema } from './fixtures/fingerprint-schemas.ts';
import { fingerprintFile, schemaMatchesRecord } from './fingerprint-record.ts';

describe('schemaMatchesRecord', () => {
  let folder: string;
  const schema = fingerprintSchema();
  const snapshotFile = () => join(folder, 'meta', '0001_snapshot.json');

  beforeEach(async () => {
    folder = join(mkdtempSync(join(tmpdir(), 'ydtb-fingerprint-')), 'migrations');
    await generatePackageMigration({ packageName: '@test/fp', schema, folder });
  });
  afterEach(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

  describe('when db generate wrote the migration for this schema', () => {
    it('should match, without drizzle-kit', () => {
      expect(schemaMatchesRecord('@test/fp', fingerprintSchema(), folder)).toBe(true);
    });
  });

  describe('when the schema changed since', () => {
    it('should not match', () => {
      expect(schemaMatchesRecord('@test/fp', fingerprintSchema({ extraColumn: true }), folder)).toBe(false);
    });
  });

  describe('when the snapshot was edited after the record was written', () => {
    it('should not match', () => {
      writeFileSync(snapshotFile(), readFileSync(snapshotFile(), 'utf8').replace(/"ydtb_fp_status"/g, '"ydtb_fp_state"'));

      expect(schemaMatchesRecord('@test/fp', schema, folder)).toBe(false);
    });
  });

  describe('when another drizzle-kit wrote the record', () => {
    it('should not match', () => {
      const record = JSON.parse(readFileSync(fingerprintFile(folder), 'utf8'));
      writeFileSync(fingerprintFile(folder), JSON.stringify({ ...record, drizzleKit: '0.30.0' }));

      expect(schemaMatchesRecord('@test/fp', schema, folder)).toBe(false);
    });
  });

  describe('when the folder has no record (generated before records existed)', () => {
    it('should not match, and db generate should write it once the schema is found unchanged', async () => {
      rmSync(fingerprintFile(folder));
      expect(schemaMatchesRecord('@test/fp', schema, folder)).toBe(false);

      const result = await generatePackageMigration({ packageName: '@test/fp', schema, folder });

      expect(result).toEqual({ kind: 'unchanged', recorded: fingerprintFile(folder) });
      expect(schemaMatchesRecord('@test/fp', schema, folder)).toBe(true);
    });
  });

  describe('when a later migration is added', () => {
    it('should record it for the new snapshot', async () => {
      const next = fingerprintSchema({ extraColumn: true });
      await generatePackageMigration({ packageName: '@test/fp', schema: next, folder });

      expect(JSON.parse(readFileSync(fingerprintFile(folder), 'utf8'))).toMatchObject({ migration: '0002_migration' });
      expect(schemaMatchesRecord('@test/fp', next, folder)).toBe(true);
      expect(schemaMatchesRecord('@test/fp', schema, folder)).toBe(false);
    });
  });
});

describe('checked-in migration folders', () => {
  const registrations = [installedPackages, realWorldPackages].flatMap((modules) => {
    const registry = createContainer(modules).get(DatabaseRegistry);
    return [registry.core, ...registry.list()].map((p) => p.registration);
  });
  const unique = [...new Map(registrations.map((r) => [r.packageName, r])).values()];

  // db check then tells them unchanged without loading drizzle-kit; `ydtb db generate <package>` rewrites a stale record.
  it.each(unique)('should record the fingerprint of the schema of $packageName', (registration) => {
    const folder = join(resolvePackageRoot(registration.packageName), 'migrations');

    expect(schemaMatchesRecord(registration.packageName, registration.schema, folder)).toBe(true);
  });
});
