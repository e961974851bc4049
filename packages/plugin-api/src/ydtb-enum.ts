import { pgEnum } from 'drizzle-orm/pg-core';
import { TABLE_PREFIX } from './table-prefix.ts';

/**
 * `pgEnum` for packages: the type is created as `ydtb_<name>`, so it cannot collide with
 * PostgreSQL's or another package's types. `ydtbEnum('billing_status', ['open', 'paid'])` is the
 * type `ydtb_billing_status`; a TypeScript enum object works too, as with pgEnum.
 */
export const ydtbEnum: typeof pgEnum = ((name: string, values: Parameters<typeof pgEnum>[1]) =>
  pgEnum(`${TABLE_PREFIX}${name}`, values)) as unknown as typeof pgEnum;
