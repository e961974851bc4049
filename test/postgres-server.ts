import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall } from './apt-install';

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` database. */
  readonly url: string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>;
  /** `pg_ctl restart -m fast`, as an operator restarts it: every session ended, then up again. */
  restart(): Promise<void>;
  /** SIGKILL to the postmaster (its backends follow), then a start once it can: a crash and its supervisor. */
  crash(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL server on a free loopback port, in a fresh temp folder. With
 * `crashSafe`, a commit is in the WAL before it is acknowledged (synchronous_commit on), so a
 * SIGKILL of the server loses no acknowledged transaction; otherwise it may lose the last ones.
 */
export async function startPostgresServer({ crashSafe = false }: { crashSafe?: boolean } = {}): Promise<PostgresServer> {
  const bin = await postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'ydtb-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let asOwner: string[] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // Synchronous, so it can also run from a process 'exit' handler.
    if (existsSync(join(data, 'postmaster.pid'))) {
      spawnSync(...command(asOwner, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asOwner = ownerCommand(dir);
    const port = await freePort();
    run(asOwner, join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
    // pg_ctl passes -o through a shell, hence the quoted socket folder. Durability is pointless for
    // a server that lives one test run, so fsync and friends are off (unless crashSafe, below).
    // fsync stays off either way: a process crash leaves what was written in the OS's cache.
    const options = `-p ${port} -k "${dir}" -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=${crashSafe ? 'on' : 'off'} -c full_page_writes=off -c max_connections=200`;
    try {
      run(asOwner, join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
      throw new Error(`${(error as Error).message}${tail ? `\nserver log:\n${tail}` : ''}`);
    }
    const pgCtl = (args: string[]) => runAsync(asOwner, join(bin, 'pg_ctl'), ['-D', data, ...args]);
    const crash = async () => {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 50) await sleep(50);
      // Its backends may hold the shared memory a moment longer: start again until it starts.
      for (let attempt = 1; ; attempt++) {
        try {
          return await pgCtl(['-o', options, '-l', log, '-w', '-t', '30', 'start']);
        } catch (error) {
          if (attempt >= 50) throw error;
          await sleep(200);
        }
      }
    };
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => stop(),
      restart: () => pgCtl(['-l', log, '-m', 'fast', '-w', '-t', '60', 'restart']),
      crash,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The server binaries, installed from Debian's packages first when the machine has none. */
async function postgresBinDir(): Promise<string> {
  const found = findPostgresBinDir();
  if (found) return found;
  await aptInstall('The PostgreSQL server (the test suite starts its own)', ['postgresql-15']);
  const installed = findPostgresBinDir();
  if (!installed) throw new Error('apt-get installed postgresql-15 but no initdb was found under /usr/lib/postgresql.');
  return installed;
}

/** Debian keeps the server binaries out of PATH, one folder per major version: take the newest. */
function findPostgresBinDir(): string | undefined {
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // pg_config also ships with libpq-dev, without the server: only trust it when initdb is there.
    if (existsSync(join(bin, 'initdb'))) return bin;
  } catch {
    // no pg_config: look in Debian's folders
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin') : undefined;
}

/** initdb refuses to run as root: run the server as the `postgres` user then. */
function ownerCommand(dir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  let ids: [number, number];
  try {
    ids = [Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))];
  } catch {
    throw new Error('Running as root, but there is no `postgres` user to run the test server as: `apt-get install -y postgresql-15` creates it.');
  }
  chownSync(dir, ...ids);
  return ['runuser', '-u', 'postgres', '--'];
}

function command(prefix: string[], file: string, args: string[]): [string, string[]] {
  return prefix.length ? [prefix[0]!, [...prefix.slice(1), file, ...args]] : [file, args];
}

function run(prefix: string[], file: string, args: string[]): void {
  const [cmd, argv] = command(prefix, file, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${file} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
  }
}

/** Like run, without blocking the event loop: a test's clients keep running meanwhile. */
async function runAsync(prefix: string[], file: string, args: string[]): Promise<void> {
  const [cmd, argv] = command(prefix, file, args);
  try {
    await promisify(execFile)(cmd, argv, { encoding: 'utf8' });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} failed: ${stderr || stdout || message}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Binding port 0 lets the kernel pick a free port; it is released for the server right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
