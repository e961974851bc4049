import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresDatabase, type TestDatabase } from '../../../test/test-databases.ts';
import { hostCli, install, pack, PACKED, repoRoot, run, thirdPartyProjects, type ThirdPartyProjects } from './packed-packages-fixtures.ts';

/**
 * The round trip of a package living in another repository: the ydtb packages are packed,
 * installed from their tarballs into projects outside this repository, and used from there.
 */
describe('when a third-party package is built against the packed ydtb packages', () => {
  let projects: ThirdPartyProjects;
  let postgres: TestDatabase;

  beforeAll(async () => {
    projects = thirdPartyProjects();
    for (const folder of PACKED) await pack(join(repoRoot, folder), projects.vendor);
    await install(projects.package);
    postgres = await createPostgresDatabase();
  }, 60_000);

  afterAll(async () => {
    await postgres?.drop();
    rmSync(projects.root, { recursive: true, force: true });
  });

  const ydtb = (project: string, args: readonly string[], env: Record<string, string> = {}) =>
    run('bun', [hostCli(project), ...args], project, env);

  it('should install one copy of drizzle-orm, inversify and zod, shared through peer dependencies', () => {
    const copies = (name: string) => findPackages(join(projects.package, 'node_modules'), name);

    expect([copies('drizzle-orm'), copies('inversify'), copies('zod')].map((found) => found.length)).toEqual([1, 1, 1]);
  });

  it('should type-check the package against the packed sources', async () => {
    const tsc = await run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], projects.package);

    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });

  it("should pass its isolation test written with @ydtb/testing", async () => {
    const test = await run('bun', ['test', '--timeout', '30000'], projects.package);

    expect(test.stderr).toContain('1 pass');
    expect(test.stderr).toContain('0 fail');
    expect(test.code).toBe(0);
  });

  it('should find its checked-in migration covering its schema, in its own folder', async () => {
    const generate = await ydtb(projects.package, ['db', 'generate', '@acme/ydtb-tickets']);

    expect(generate.stdout).toContain('@acme/ydtb-tickets: the schema matches the last migration; nothing to generate.');
    expect(generate.code).toBe(0);
  });

  it.each([
    ['PGlite', () => ({ YDTB_DATA_DIR: join(projects.root, 'pglite') })],
    ['PostgreSQL', () => ({ DATABASE_URL: postgres.url })],
  ])('should be loaded, migrated and secured by the host on %s', async (_name, env) => {
    const migrate = await ydtb(projects.package, ['db', 'migrate'], env());

    // Progress goes to stderr; nothing else may.
    expect(migrate.stderr).toMatch(/^(Opening the embedded PGlite at [^\n]*…\n)?$/);
    expect(migrate.stdout).toContain('@acme/ydtb-tickets: 1 applied, 1 table secured');
    expect(migrate.code).toBe(0);
  });

  describe('when a host installs it from its tarball', () => {
    let installedMigrations: string;

    beforeAll(async () => {
      await pack(projects.package, projects.vendor);
      await install(projects.host);
      installedMigrations = join(projects.host, 'node_modules', '@acme', 'ydtb-tickets', 'migrations');
    }, 60_000);

    it('should refuse db generate for the installed copy, writing nothing into node_modules', async () => {
      const before = readdirSync(installedMigrations, { recursive: true });
      const generate = await ydtb(projects.host, ['db', 'generate', '@acme/ydtb-tickets']);

      expect(generate.stderr).toContain(
        `error: @acme/ydtb-tickets is an installed copy (${realpathSync(join(installedMigrations, '..'))} lies inside node_modules)`,
      );
      expect(generate.stderr).toContain("Generate it in the package's own repository");
      expect(generate.code).toBe(2);
      expect(readdirSync(installedMigrations, { recursive: true })).toEqual(before);
    });

    it('should still check that its shipped migrations cover its schema', async () => {
      const check = await ydtb(projects.host, ['db', 'check']);

      expect(check.stdout).toContain('OK: 2 packages valid, in migration order: @ydtb/core -> @acme/ydtb-tickets');
      expect(check.code).toBe(0);
    });
  });
});

/** Every installed folder of the package `name` under a node_modules tree. */
function findPackages(nodeModules: string, name: string): string[] {
  return readdirSync(nodeModules, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry === name || entry.endsWith(`/node_modules/${name}`))
    .filter((entry) => existsSync(join(nodeModules, entry, 'package.json')));
}
