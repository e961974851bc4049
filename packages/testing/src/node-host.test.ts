import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import postgresJs from 'postgres';
import { APP_ROLE } from '@ydtb/core';
import { createPostgresDatabase, type TestDatabase } from '../../../test/test-databases.ts';
import { nodeHostProject, npmInstall, pack, PACKED, pathWithoutBun, repoRoot, run } from './packed-packages-fixtures.ts';

/**
 * An app on Node, where Bun is not installed: the four packages are packed (compiled on pack),
 * installed with npm from their tarballs, and used as an app outside this repository uses them:
 * `npx ydtb`, TypeScript with the config `tsc --init` writes, and a Node ES module server.
 * (fixtures/node-host/: the app, `@acme/helpdesk`, with one table of its own.)
 */
describe('when an app on Node without Bun installs the packed packages with npm', () => {
  let project: ReturnType<typeof nodeHostProject>;
  let env: Record<string, string>;
  let postgres: TestDatabase;
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
  const postgres_url = () => postgres.url;

  beforeAll(async () => {
    project = nodeHostProject();
    for (const folder of PACKED) await pack(join(repoRoot, folder), project.vendor);
    env = { PATH: pathWithoutBun(process.env.PATH ?? '', project.root), NODE_OPTIONS: '', npm_config_update_notifier: 'false' };
    await npmInstall(project.host, env);
    postgres = await createPostgresDatabase();
  }, 240_000);

  afterAll(async () => {
    await postgres?.drop();
    rmSync(project.root, { recursive: true, force: true });
  });

  const inHost = (command: string, args: readonly string[], extra: Record<string, string> = {}) => run(command, args, project.host, { ...env, ...extra });
  const ydtb = (args: readonly string[], extra: Record<string, string> = {}) => inHost('npx', ['ydtb', ...args], extra);

  it('should have no Bun to run', async () => {
    const which = await inHost('sh', ['-c', 'command -v bun || command -v bunx']);

    expect(which.stdout).toBe('');
    expect(which.code).not.toBe(0);
  });

  it('should install compiled JavaScript and declarations, no sources, tests or test helpers', () => {
    const shipped = (name: string) => readdirSync(join(project.host, 'node_modules', '@ydtb', name), { recursive: true, encoding: 'utf8' });
    const files = ['plugin-api', 'core', 'testing', 'cli'].flatMap((name) => shipped(name).map((file) => `${name}/${file}`));

    expect(files).toContain('core/dist/registry/index.js');
    expect(files).toContain('core/dist/registry/index.d.ts');
    expect(files).toContain('cli/dist/bin.js');
    expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => /\.test\.|fixtures|test-packages|run-cli-captured|packed-packages/.test(file))).toEqual([]);
  });

  it('should install one copy of drizzle-orm, inversify and zod, shared through peer dependencies', () => {
    const copies = (name: string) =>
      readdirSync(join(project.host, 'node_modules'), { recursive: true, encoding: 'utf8' })
        .filter((entry) => entry === name || entry.endsWith(`/node_modules/${name}`))
        .filter((entry) => existsSync(join(project.host, 'node_modules', entry, 'package.json')));

    expect([copies('drizzle-orm'), copies('inversify'), copies('zod')].map((found) => found.length)).toEqual([1, 1, 1]);
  });

  it('should type-check the app with exactly the tsconfig `tsc --init` writes (nodenext, exactOptionalPropertyTypes)', async () => {
    const init = await inHost(tsc, ['--init']);
    const tsconfig = readFileSync(join(project.host, 'tsconfig.json'), 'utf8');
    const check = await inHost(tsc, ['--noEmit', '-p', 'tsconfig.json']);

    expect(init.code).toBe(0);
    expect(tsconfig).toMatch(/"module": "nodenext"/);
    expect(tsconfig).toMatch(/"exactOptionalPropertyTypes": true/);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.code).toBe(0);
  });

  it('should compile the app with tsc, as it ships', async () => {
    const build = await inHost(tsc, ['-p', 'tsconfig.json']);

    expect(build.stdout + build.stderr).toBe('');
    expect(existsSync(join(project.host, 'ydtb.config.js'))).toBe(true);
  });

  it('should run npx ydtb --version on Node', async () => {
    const version = await ydtb(['--version']);

    expect({ code: version.code, stdout: version.stdout, stderr: version.stderr }).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it("should generate the app's first migration into its own migrations folder", async () => {
    const generate = await ydtb(['db', 'generate', '@acme/helpdesk']);

    expect(generate.stdout).toContain('@acme/helpdesk: wrote migrations/0001_init.sql');
    expect(generate.code).toBe(0);
    expect(existsSync(join(project.host, 'migrations', '0001_init.sql'))).toBe(true);
  });

  it('should check the config (the compiled ydtb.config.js beside ydtb.config.ts)', async () => {
    const check = await ydtb(['db', 'check']);

    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('OK: 2 packages valid, in migration order: @ydtb/core -> @acme/helpdesk');
    expect(check.code).toBe(0);
  });

  it.each([
    ['PGlite', () => ({ YDTB_DATA_DIR: join(project.root, 'pglite') })],
    ['PostgreSQL', () => ({ DATABASE_URL: postgres.url })],
  ])('should migrate, migrate again as a no-op and report the status on %s', async (_name, database) => {
    const first = await ydtb(['db', 'migrate'], database());
    const second = await ydtb(['db', 'migrate'], database());
    const status = await ydtb(['db', 'status'], database());

    expect(first.stderr).toMatch(/^(Opening the embedded PGlite at [^\n]*…\n)?$/);
    expect(first.stdout).toContain('@acme/helpdesk: 1 applied, 1 table secured');
    expect(first.code).toBe(0);
    expect(second.stdout).toContain('Nothing to migrate: the database is already up to date.');
    expect(second.code).toBe(0);
    expect(status.stdout).toMatch(/@acme\/helpdesk 1\.0\.0: 1 applied, 0 pending, 0 drift/);
    expect(status.stdout).toContain('Up to date.');
    expect(status.code).toBe(0);
  });

  it("should tell an app's login role that db status is the migrator's to run", async () => {
    const role = `ydtb_status_${process.pid}`;
    const admin = postgresJs(postgres_url(), { max: 1, onnotice: () => undefined });
    try {
      await admin.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'app' IN ROLE ${APP_ROLE}`);
      const url = new URL(postgres_url());
      url.username = role;
      url.password = 'app';
      const status = await ydtb(['db', 'status'], { DATABASE_URL: url.toString() });

      expect(status.stderr).toContain('permission denied for table ydtb_migration_history');
      expect(status.stderr).toContain('run it as the migrator');
      expect(status.code).not.toBe(0);
    } finally {
      await admin.unsafe(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });

  it('should answer db migrate and db generate with one JSON object when asked', async () => {
    const migrate = await ydtb(['db', 'migrate', '--json'], { YDTB_DATA_DIR: join(project.root, 'pglite') });
    const generate = await ydtb(['db', 'generate', '@acme/helpdesk', '--json']);

    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toMatchObject({ database: `embedded PGlite at ${join(project.root, 'pglite')}`, dryRun: false, pending: 0, applied: [], drift: [] });
    expect(generate.code).toBe(0);
    expect(JSON.parse(generate.stdout)).toMatchObject({ packageName: '@acme/helpdesk', written: false });
  });

  describe('when its Node ES module server serves a route through withWorkspace', () => {
    let server: ChildProcess;
    let port: number;

    beforeAll(async () => {
      server = spawn('node', ['src/server.js'], { cwd: project.host, env: { ...process.env, BUN_OPTIONS: '', ...env, YDTB_DATA_DIR: join(project.root, 'pglite') } });
      port = await new Promise<number>((resolve, reject) => {
        let output = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
          if (line) resolve((JSON.parse(line) as { port: number }).port);
        });
        server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        server.on('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
      });
    }, 30_000);

    afterAll(() => {
      server?.kill();
    });

    it.each(['acme', 'globex'])('should answer for %s with its own ticket only', async (workspace) => {
      const response = await fetch(`http://127.0.0.1:${port}/${workspace}/tickets`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ packages: ['@acme/helpdesk'], rows: [{ title: `${workspace} ticket` }] });
    });
  });
});
