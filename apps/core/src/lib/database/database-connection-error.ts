/** The PostgreSQL server in DATABASE_URL could not be reached, or what answered is not PostgreSQL. */
export class DatabaseConnectionError extends Error {
  readonly kind = 'database-connection' as const;

  constructor(
    /** host:port, never the credentials. */
    readonly address: string,
    /** Why, in a few words: "connection refused", "did not answer as PostgreSQL (it sent "HTTP/1.1 400")". */
    readonly reason: string,
  ) {
    super(
      `Cannot use the PostgreSQL server at ${address}: ${reason}. ` +
        'Check DATABASE_URL (host and port), that the server runs and accepts connections from here; ' +
        'YDTB_CONNECT_TIMEOUT sets how many seconds to wait (default 10).',
    );
    this.name = 'DatabaseConnectionError';
  }
}
