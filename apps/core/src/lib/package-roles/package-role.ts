import { createHash } from 'node:crypto';

/** Every package's database role starts with this; nothing else may. */
export const PACKAGE_ROLE_PREFIX = 'ydtb_pkg_';

const MAX_IDENTIFIER_BYTES = 63;

/**
 * The database role a package's migrations run as and its objects are owned by: the package
 * name in lower case with every run of other characters as one underscore (`@ydtb/basic` →
 * `ydtb_pkg_ydtb_basic`). A name too long for PostgreSQL's 63 bytes keeps its start and ends
 * with 8 hex digits of the full name's sha256. Two packages whose names map to one role are
 * refused at registration (ydtb/unique-name): a role is an owner, never shared.
 */
export function packageRole(packageName: string): string {
  const slug = packageName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const role = `${PACKAGE_ROLE_PREFIX}${slug}`;
  if (role.length <= MAX_IDENTIFIER_BYTES) return role;
  const hash = createHash('sha256').update(packageName).digest('hex').slice(0, 8);
  return `${role.slice(0, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
}

/** Whether a role name is one of the package roles' (prefix alone: the registry says whose). */
export function isPackageRole(role: string): boolean {
  return role.startsWith(PACKAGE_ROLE_PREFIX);
}
