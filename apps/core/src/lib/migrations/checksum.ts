import { createHash } from 'node:crypto';

/**
 * sha256 of a migration's SQL. Line endings are normalised first, so a checkout with CRLF
 * endings does not look like an edited migration.
 */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n'), 'utf8').digest('hex');
}
