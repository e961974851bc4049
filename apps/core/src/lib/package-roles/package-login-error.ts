/** The pipeline could not open a session authenticated as a package's role. */
export class PackageLoginError extends Error {
  readonly kind = 'package-login' as const;

  constructor(
    readonly role: string,
    /** What the server or the driver said. */
    readonly reason: string,
  ) {
    super(
      `Could not log in as the package role ${role}: ${reason}. Each package's migrations run in a session authenticated as its own role, ` +
        `with a password the migrator sets for the run; the server must accept password (scram-sha-256 or md5) logins for roles named ydtb_pkg_* ` +
        `from where ydtb runs, to the same database as the migrator (pg_hba.conf), and allow one more connection.`,
    );
    this.name = 'PackageLoginError';
  }
}
