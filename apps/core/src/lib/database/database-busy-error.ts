/** Who holds the embedded database, as its lock file records it. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly command: string;
  /** ISO time the holder opened the database. */
  readonly startedAt: string;
}

/** Another process has the embedded database open; PGlite allows one process per folder. */
export class DatabaseBusyError extends Error {
  readonly kind = 'database-busy' as const;

  constructor(
    /** The folder as shown to the user. */
    readonly folder: string,
    readonly lockFile: string,
    /** Absent when the lock file could not be read while another process was writing it. */
    readonly holder: LockHolder | undefined,
    /** Whether the holder runs on this machine (otherwise its liveness cannot be checked). */
    readonly sameHost: boolean,
  ) {
    super(
      `The embedded database at ${folder} is in use by ` +
        (holder
          ? `process ${holder.pid}${sameHost ? '' : ` on ${holder.hostname}`} (${holder.command}, since ${holder.startedAt})`
          : `another process (its lock file ${lockFile} is being written)`) +
        ': PGlite allows one process per folder. Wait for it to finish, or stop it, and run again.' +
        (sameHost ? '' : ` If that process no longer runs, delete ${lockFile}.`),
    );
    this.name = 'DatabaseBusyError';
  }
}
