/** Which engine a client talks to: the embedded PGlite or a PostgreSQL server. */
export type Dialect = 'pglite' | 'postgres';

/**
 * The few operations the migrator and the catalog checks need, implemented the same way over
 * PGlite and over a PostgreSQL server, so one code path (and one test suite) serves both.
 */
export interface SqlClient {
  readonly dialect: Dialect;
  /** One parameterised statement. */
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of one or more statements, sent without parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * A new client on the same server and database, authenticated as another role (PostgreSQL
   * only): what runs there cannot take back rights the role was never given, as SQL run after
   * `SET ROLE` on this connection could (`RESET ROLE`).
   */
  loginAs?(role: string, password: string): SqlClient;
}
