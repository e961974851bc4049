/** A package's SQL left its role (`RESET ROLE`, `SET ROLE`) on a connection it shares with the migrator. */
export class PackageRoleEscapeError extends Error {
  readonly kind = 'package-role-escape' as const;

  constructor(
    readonly role: string,
    /** The role the connection was under when the package's SQL returned. */
    readonly found: string,
  ) {
    super(
      `The package's SQL left its role ${role}: the connection runs as ${found} after it. A migration may not change the role or the session; remove the SET ROLE, RESET ROLE or SET SESSION AUTHORIZATION.`,
    );
    this.name = 'PackageRoleEscapeError';
  }
}
