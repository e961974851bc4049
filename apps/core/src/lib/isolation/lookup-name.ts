import { createHash } from 'node:crypto';

const MAX_IDENTIFIER_BYTES = 63;

/** Every workspace lookup function's name starts with this. */
export const LOOKUP_FUNCTION_PREFIX = 'ydtb_lookup_';

/**
 * The function behind a package's workspace lookup: `ydtb_lookup_<package slug>_<lookup>`
 * (`@acme/keys`, `api_key` → `ydtb_lookup_acme_keys_api_key`); a name too long for PostgreSQL's
 * 63 bytes keeps its start and ends with 8 hex digits of the package and lookup's sha256.
 */
export function lookupFunctionName(packageName: string, lookup: string): string {
  const slug = packageName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const name = `${LOOKUP_FUNCTION_PREFIX}${slug}_${lookup}`;
  if (name.length <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(`${packageName}\0${lookup}`).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
}
