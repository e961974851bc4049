import { text, timestamp } from 'drizzle-orm/pg-core';
import { ydtbTable } from './ydtb-table.ts';

/**
 * The tenant table. It lives in the contract, not in the host, because every package table
 * holds a foreign key to it and packages must not import the host app.
 */
export const workspaces = ydtbTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The platform's users. Core owns and migrates it; it is here so a package can reference a user
 * (`.references(() => users.id)`) without importing the host. Packages get no rights on it.
 */
export const users = ydtbTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
