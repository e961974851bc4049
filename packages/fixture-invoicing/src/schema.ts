import { sql, type SQL } from 'drizzle-orm';
import {
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users, workspaces, ydtbEnum, ydtbTable } from '@ydtb/plugin-api';

/*
 * Shaped like a real time-tracking and invoicing app's schema, ported to a ydtb package: the
 * shapes that used to pass the checks and then fail at migrate or at run time.
 */

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A common enum name, prefixed: another package may have its own "status". */
export const invoiceStatus = ydtbEnum('invoicing_status', ['draft', 'sent', 'paid', 'void']);

/** ISO 4217 currencies: the same for every workspace, declared global in the registration. */
export const currencies = ydtbTable('invoicing_currencies', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  decimals: integer('decimals').notNull().default(2),
});

export const customers = ydtbTable(
  'invoicing_customers',
  {
    id: serial('id').notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    billingAddress: jsonb('billing_address').$type<{ street?: string; city?: string; country?: string }>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_customers_pk', columns: [t.workspaceId, t.id] }),
    unique('ydtb_invoicing_customers_email_key').on(t.workspaceId, t.email),
  ],
);

/** Projects nest: a sub-project points at its parent in the same workspace. */
export const projects = ydtbTable(
  'invoicing_projects',
  {
    id: integer('id').generatedAlwaysAsIdentity(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id').notNull(),
    parentId: integer('parent_id'),
    name: text('name').notNull(),
    hourlyRate: numeric('hourly_rate', { precision: 10, scale: 2 }),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_projects_pk', columns: [t.workspaceId, t.id] }),
    foreignKey({ name: 'ydtb_invoicing_projects_customer_fk', columns: [t.workspaceId, t.customerId], foreignColumns: [customers.workspaceId, customers.id] }).onDelete('cascade'),
    foreignKey({ name: 'ydtb_invoicing_projects_parent_fk', columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }).onDelete('cascade'),
  ],
);

/** Time entries: who worked (a platform user), on what, searchable by description. */
export const timeEntries = ydtbTable(
  'invoicing_time_entries',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    projectId: integer('project_id').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    description: text('description').notNull().default(''),
    minutes: integer('minutes').notNull(),
    search: tsvector('search').generatedAlwaysAs((): SQL => sql`to_tsvector('simple', ${timeEntries.description})`),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_time_entries_pk', columns: [t.workspaceId, t.id] }),
    foreignKey({ name: 'ydtb_invoicing_time_entries_project_fk', columns: [t.workspaceId, t.projectId], foreignColumns: [projects.workspaceId, projects.id] }).onDelete('cascade'),
    index('ydtb_invoicing_time_entries_search_idx').using('gin', t.search),
  ],
);

export const tags = ydtbTable(
  'invoicing_tags',
  {
    id: serial('id').notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ name: 'ydtb_invoicing_tags_pk', columns: [t.workspaceId, t.id] }), unique('ydtb_invoicing_tags_name_key').on(t.workspaceId, t.name)],
);

/** The link table between time entries and tags. */
export const timeEntryTags = ydtbTable(
  'invoicing_time_entry_tags',
  {
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    timeEntryId: uuid('time_entry_id').notNull(),
    tagId: integer('tag_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_time_entry_tags_pk', columns: [t.workspaceId, t.timeEntryId, t.tagId] }),
    foreignKey({ name: 'ydtb_invoicing_time_entry_tags_entry_fk', columns: [t.workspaceId, t.timeEntryId], foreignColumns: [timeEntries.workspaceId, timeEntries.id] }).onDelete('cascade'),
    foreignKey({ name: 'ydtb_invoicing_time_entry_tags_tag_fk', columns: [t.workspaceId, t.tagId], foreignColumns: [tags.workspaceId, tags.id] }).onDelete('cascade'),
  ],
);

export const invoices = ydtbTable(
  'invoicing_invoices',
  {
    id: integer('id').generatedByDefaultAsIdentity(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id').notNull(),
    number: text('number').notNull(),
    status: invoiceStatus('status').notNull().default('draft'),
    currency: text('currency').notNull().references(() => currencies.code),
    lines: jsonb('lines').$type<{ description: string; amount: string }[]>().notNull().default([]),
    total: numeric('total', { precision: 12, scale: 2 }).notNull().default('0'),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_invoices_pk', columns: [t.workspaceId, t.id] }),
    unique('ydtb_invoicing_invoices_number_key').on(t.workspaceId, t.number),
    foreignKey({ name: 'ydtb_invoicing_invoices_customer_fk', columns: [t.workspaceId, t.customerId], foreignColumns: [customers.workspaceId, customers.id] }).onDelete('cascade'),
  ],
);

/** A long name: the inline workspace foreign key's generated name would pass 63 bytes. */
export const recurringSchedules = ydtbTable(
  'invoicing_recurring_invoice_schedules',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id').notNull(),
    cron: text('cron').notNull(),
  },
  (t) => [
    primaryKey({ name: 'ydtb_invoicing_recurring_pk', columns: [t.workspaceId, t.id] }),
    foreignKey({ name: 'ydtb_invoicing_recurring_customer_fk', columns: [t.workspaceId, t.customerId], foreignColumns: [customers.workspaceId, customers.id] }).onDelete('cascade'),
  ],
);
