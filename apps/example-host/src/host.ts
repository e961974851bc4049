import type { ContainerModule } from 'inversify';
import { createContainer, DatabaseRegistry, EnvironmentRegistry, type PostgresPoolOptions } from '@ydtb/core';
import { withDeadline } from './deadline';
import { describeError, serveHttp } from './http-server';
import { checkLoginRole } from './login-role';
import { isolatedNotes } from './notes-store';
import { installedPackages } from './packages';
import { checkPool, checkReady } from './pool-check';
import { openPool, type Pool } from './pool';
import { createRoutes } from './routes';

/**
 * The host's bounds unless set: a request answers within 5 s; on the database a statement runs
 * 4 s at most and waits 2 s at most for a lock, so that the database's own error (503/504 with
 * what happened) usually comes before the deadline; a transaction idle for 10 s is ended; a
 * connection is opened within 3 s. 64 requests at most wait on the database at once.
 */
export const HOST_DEFAULTS = {
  deadlineMs: 5_000,
  maxInFlight: 64,
  readyTimeoutMs: 1_000,
  statementTimeoutMs: 4_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 10_000,
  connectTimeoutSeconds: 3,
} as const;

export interface HostOptions {
  /** The application's login role (granted ydtb_app), never the migrator or a superuser. */
  readonly databaseUrl: string;
  /** 0 takes a free port. */
  readonly port: number;
  readonly hostname?: string;
  /** Connections in the pool; more than one, so requests share and reuse them. */
  readonly poolMax: number;
  /** The pool's bounds; HOST_DEFAULTS for those not set, then @ydtb/core's POOL_DEFAULTS. */
  readonly pool?: PostgresPoolOptions;
  /** Milliseconds a request may take before it is answered 504 (HOST_DEFAULTS.deadlineMs). */
  readonly deadlineMs?: number;
  /** Requests waiting on the database above which a new one is answered 503 at once. */
  readonly maxInFlight?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly modules?: readonly ContainerModule[];
}

export interface Host {
  readonly url: string;
  readonly port: number;
  /** The installed packages, every one validated by the registry's rules. */
  readonly packages: readonly string[];
  readonly loginRole: string;
  readonly pool: Pool;
  readonly deadlineMs: number;
  stop(): Promise<void>;
}

/**
 * Validates every installed package (resolving the registry runs every rule: a broken package
 * throws SchemaValidationError before anything listens), parses the packages' environment,
 * refuses a login role row-level security would not bind, and serves, every request within its deadline.
 */
export async function startHost({ databaseUrl, port, hostname, poolMax, pool: poolOptions = {}, deadlineMs = HOST_DEFAULTS.deadlineMs, maxInFlight = HOST_DEFAULTS.maxInFlight, env, modules = installedPackages }: HostOptions): Promise<Host> {
  const container = createContainer(modules);
  const packages = container.get(DatabaseRegistry).list().map((pkg) => pkg.registration.packageName);
  const settings = container.get(EnvironmentRegistry).parse(env);
  const { statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs, connectTimeoutSeconds } = HOST_DEFAULTS;
  const pool = openPool(databaseUrl, { statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs, connectTimeoutSeconds, ...withoutUndefined(poolOptions), max: poolMax });
  try {
    const loginRole = await checkLoginRole(pool.sql);
    const routes = createRoutes({
      notes: isolatedNotes(pool.db),
      pageSize: settings.BASIC_NOTES_PAGE_SIZE as number,
      checkPool: (signal) => checkPool(pool.sql, pool.max, signal),
      checkReady: () => checkReady(pool.sql, Math.min(HOST_DEFAULTS.readyTimeoutMs, deadlineMs)),
      onDatabaseFailure: (route, failure) => console.error(`${route}: answered ${failure.status}, database ${failure.code}`),
    });
    const handler = withDeadline(
      async (request, signal) => {
        try {
          return await routes(request, signal);
        } catch (error) {
          // Past the deadline the client has its 504 already: what the work met then is not a failure to log twice.
          if (signal.aborted) throw error;
          console.error(`Request failed: ${describeError(error)}`);
          throw error;
        }
      },
      { deadlineMs, maxInFlight },
    );
    const server = serveHttp(async (request) => {
      try {
        return await handler(request);
      } catch {
        return new Response(JSON.stringify({ error: 'The request failed on the server.' }), { status: 500, headers: { 'content-type': 'application/json' } });
      }
    }, { hostname, port, idleTimeoutSeconds: deadlineMs / 1000 + 5 });
    return {
      url: server.url,
      port: server.port,
      packages,
      loginRole,
      pool,
      deadlineMs,
      stop: async () => {
        await server.stop();
        await pool.close();
      },
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
