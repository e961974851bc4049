import type postgres from 'postgres';
import { postgresDriver } from './postgres-driver.ts';
import { startupParameters, type SessionSettings } from './session-settings.ts';

export interface PostgresPoolOptions extends SessionSettings {
  /** Connections opened at most (postgres.js opens them as requests need them). */
  readonly max?: number;
  /** Seconds to open one connection (TCP, TLS, authentication) before the query waiting for it fails. */
  readonly connectTimeoutSeconds?: number;
  /** Seconds an unused connection stays open; 0 keeps it. */
  readonly idleTimeoutSeconds?: number;
  /** Seconds after which a connection is closed once idle and replaced; 0 keeps it for ever. */
  readonly maxLifetimeSeconds?: number;
  /** `application_name`, what `pg_stat_activity` shows for the pool's sessions. */
  readonly applicationName?: string;
  /**
   * Seconds at most between two attempts to open a connection that failed: the pause doubles
   * from 50 ms up to this. postgres.js's own grows to 20 s and is reset only by a success, so
   * after an outage of a few seconds the pool came back seconds after the server.
   */
  readonly reconnectMaxDelaySeconds?: number;
}

/**
 * What `postgresPool` uses for what a host does not set. Each bound is there so that no wait of a
 * request on the database is unbounded: a statement runs 10 s at most, waits 3 s at most for a
 * lock (a migration's `ALTER TABLE` queued ahead, a long writer), a transaction its code forgot
 * to end is ended after 15 s of idling (its locks and its connection come back), a connection that
 * cannot be opened fails after 5 s, and one that failed is tried again within 1 s. A host's request deadline should be above `statementTimeoutMs`
 * plus `lockTimeoutMs` when it wants the database's own error, below when it wants its deadline first.
 */
export const POOL_DEFAULTS = {
  max: 4,
  connectTimeoutSeconds: 5,
  idleTimeoutSeconds: 60,
  maxLifetimeSeconds: 30 * 60,
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 3_000,
  idleInTransactionTimeoutMs: 15_000,
  applicationName: 'ydtb-host',
  reconnectMaxDelaySeconds: 1,
} as const satisfies Required<PostgresPoolOptions>;

export interface PostgresPool {
  /** The postgres.js instance: wrap it with `drizzle(sql)` for `withWorkspace`. */
  readonly sql: postgres.Sql;
  /** The options in effect, defaults filled in. */
  readonly options: Required<PostgresPoolOptions>;
  /** Waits up to `timeoutSeconds` (default 5) for queries in flight, then closes every connection. */
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * A pool of connections to a PostgreSQL server for a host's requests, every wait bounded
 * (see POOL_DEFAULTS). A connection the server closed (restart, `pg_terminate_backend`, an
 * idle-in-transaction timeout) fails the query on it with a postgres.js error whose `code` is
 * CONNECTION_CLOSED or the server's SQLSTATE (57P01, 57P03, 08…); the pool opens a new
 * connection for the next query. Nothing is retried: whether to retry a request is the host's choice.
 */
export function postgresPool(url: string, options: PostgresPoolOptions = {}): PostgresPool {
  const filled: Required<PostgresPoolOptions> = { ...POOL_DEFAULTS, ...withoutUndefined(options) };
  if (!Number.isInteger(filled.max) || filled.max < 1) throw new RangeError(`max must be a whole number of connections, 1 or more, not ${filled.max}.`);
  const sql = postgresDriver()(url, {
    max: filled.max,
    onnotice: () => undefined,
    connect_timeout: filled.connectTimeoutSeconds,
    idle_timeout: filled.idleTimeoutSeconds,
    max_lifetime: filled.maxLifetimeSeconds || null,
    connection: { application_name: filled.applicationName, ...startupParameters(filled) },
    // Jittered, so the pools of several hosts do not knock at the same instant.
    backoff: (retries: number) => Math.min(filled.reconnectMaxDelaySeconds, 0.05 * 2 ** retries) * (0.5 + Math.random() / 2),
  });
  return { sql, options: filled, close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }) };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
