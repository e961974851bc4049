import { createHash } from 'node:crypto';

/** PostgreSQL's NAMEDATALEN - 1: a longer name is truncated silently, so two names can become one. */
export const MAX_IDENTIFIER_BYTES = 63;

const HASH_LENGTH = 8;

/**
 * `name` when it fits in 63 bytes, otherwise a short deterministic form of it: its head, eight hex
 * digits of its sha256 and its suffix (`_fk`, `_pk`, `_unique`, `_index`), e.g.
 * `ydtb_billing_subscription_line_items_workspace_id_yd_3f1c2a9b_fk`. The same long name always
 * gives the same short one, so generated migrations stay stable.
 */
export function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
  const suffix = /_[a-z]+$/.exec(name)?.[0] ?? '';
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const room = MAX_IDENTIFIER_BYTES - suffix.length - HASH_LENGTH - 1;
  let head = '';
  for (const char of name) {
    if (Buffer.byteLength(head + char, 'utf8') > room) break;
    head += char;
  }
  return `${head.replace(/_+$/, '')}_${hash}${suffix}`;
}
