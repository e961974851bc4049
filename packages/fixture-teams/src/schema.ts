import { eq } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgView, primaryKey, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbEnum, ydtbTable } from '@ydtb/plugin-api';

/*
 * Shaped like a SaaS starter's team tables, ported to a ydtb package: the workspace is the team.
 */

/** The same common enum name another package uses, prefixed per package. */
export const invitationStatus = ydtbEnum('teams_status', ['pending', 'accepted', 'revoked']);

export const invitations = ydtbTable(
  'teams_invitations',
  {
    id: integer('id').generatedAlwaysAsIdentity(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 255 }).notNull(),
    role: varchar('role', { length: 50 }).notNull().default('member'),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    status: invitationStatus('status').notNull().default('pending'),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ydtb_teams_invitations_pk', columns: [t.workspaceId, t.id] }),
    // Unique per team: two teams may invite the same address.
    unique('ydtb_teams_invitations_email_key').on(t.workspaceId, t.email),
  ],
);

export const activityLogs = ydtbTable(
  'teams_activity_logs',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ipAddress: varchar('ip_address', { length: 45 }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'ydtb_teams_activity_logs_pk', columns: [t.workspaceId, t.id] }), index('ydtb_teams_activity_logs_at_idx').on(t.workspaceId, t.at)],
);

/** Open invitations, read through the caller's row-level security. */
export const pendingInvitations = pgView('ydtb_teams_pending_invitations')
  .with({ securityInvoker: true })
  .as((qb) => qb.select({ workspaceId: invitations.workspaceId, email: invitations.email, invitedAt: invitations.invitedAt }).from(invitations).where(eq(invitations.status, 'pending')));
