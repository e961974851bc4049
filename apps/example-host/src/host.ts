import type { ContainerModule } from 'inversify';
import { createContainer, DatabaseRegistry, EnvironmentRegistry } from '@ydtb/core';
import { serveHttp } from './http-server';
import { checkLoginRole } from './login-role';
import { isolatedNotes } from './notes-store';
import { installedPackages } from './packages';
import { checkPool } from './pool-check';
import { openPool, type Pool } from './pool';
import { createRoutes } from './routes';

export interface HostOptions {
  /** The application's login role (granted ydtb_app), never the migrator or a superuser. */
  readonly databaseUrl: string;
  /** 0 takes a free port. */
  readonly port: number;
  readonly hostname?: string;
  /** Connections in the pool; more than one, so requests share and reuse them. */
  readonly poolMax: number;
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
  stop(): Promise<void>;
}

/**
 * Validates every installed package (resolving the registry runs every rule: a broken package
 * throws SchemaValidationError before anything listens), parses the packages' environment,
 * refuses a login role row-level security would not bind, and serves.
 */
export async function startHost({ databaseUrl, port, hostname, poolMax, env, modules = installedPackages }: HostOptions): Promise<Host> {
  const container = createContainer(modules);
  const packages = container.get(DatabaseRegistry).list().map((pkg) => pkg.registration.packageName);
  const settings = container.get(EnvironmentRegistry).parse(env);
  const pool = openPool(databaseUrl, poolMax);
  try {
    const loginRole = await checkLoginRole(pool.sql);
    const routes = createRoutes({
      notes: isolatedNotes(pool.db),
      pageSize: settings.BASIC_NOTES_PAGE_SIZE as number,
      checkPool: () => checkPool(pool.sql, pool.max),
    });
    const server = serveHttp(routes, { hostname, port });
    return {
      url: server.url,
      port: server.port,
      packages,
      loginRole,
      pool,
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
