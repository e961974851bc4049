/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The command being run (`ydtb db migrate`), recorded in the embedded database's lock file. */
  readonly command?: string;
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The operation failed: a migration, a checksum, the database, drift after migrating. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The packages are invalid: rule violations or dependency problems. */
  invalid: 3,
  /** `db status`: migrations are pending or the database drifted. */
  attention: 4,
  /** The embedded database is in use by another process (PGlite allows one per folder). */
  busy: 5,
} as const;
