import { foreignKey, index, integer, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbTable } from '@ydtb/plugin-api';

/*
 * Shaped like a MySQL app's ledger, ported as its columns were written: every id, the workspace
 * column and the link to a user are varchar(256), not text. PostgreSQL compares them with core's
 * text ids through a cast, which the isolation policy and its verification must accept.
 */

export const accounts = ydtbTable(
  'ledger_accounts',
  {
    id: varchar('id', { length: 36 }).notNull(),
    workspaceId: varchar('workspace_id', { length: 256 }).notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 255 }).notNull(),
    createdBy: varchar('created_by', { length: 256 }).references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'ydtb_ledger_accounts_pk', columns: [t.workspaceId, t.id] }), index('ydtb_ledger_accounts_created_by_idx').on(t.createdBy)],
);

export const entries = ydtbTable(
  'ledger_entries',
  {
    id: varchar('id', { length: 36 }).notNull(),
    workspaceId: varchar('workspace_id', { length: 256 }).notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    accountId: varchar('account_id', { length: 36 }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    memo: varchar('memo', { length: 512 }),
  },
  (t) => [
    primaryKey({ name: 'ydtb_ledger_entries_pk', columns: [t.workspaceId, t.id] }),
    foreignKey({ name: 'ydtb_ledger_entries_account_fk', columns: [t.workspaceId, t.accountId], foreignColumns: [accounts.workspaceId, accounts.id] }).onDelete('cascade'),
    index('ydtb_ledger_entries_account_idx').on(t.workspaceId, t.accountId),
  ],
);
