/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
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
} as const;
