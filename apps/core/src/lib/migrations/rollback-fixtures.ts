import { boolean, index, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { basicModule, basicSchema } from '@ydtb/basic';
import { crmModule, crmSchema } from '@ydtb/crm';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import type { MigrationDefinition, PackageSchemaRegistration } from '../../types/database-registry.ts';
import { createContainer } from '../registry/container.ts';
import { DatabaseRegistry } from '../registry/database.ts';

/*
 * @ydtb/basic and @ydtb/crm one migration further than they ship: basic's notes gain `pinned`,
 * crm's contacts gain `phone`, each with the down SQL db generate would write. Variants of
 * basic's second migration break the rollback on purpose.
 */

const shipped = createContainer([basicModule, crmModule]).get(DatabaseRegistry);
const registrationOf = (name: string): PackageSchemaRegistration => shipped.get(name)!.registration;

/** basic's notes with a `pinned` column; its tags keep pointing at them by name. */
const pinnedNotes = ydtbTable(
  'basic_notes',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    status: basicSchema.noteStatus('status').notNull().default('draft'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    pinned: boolean('pinned').notNull().default(false),
  },
  (table) => [
    primaryKey({ name: 'ydtb_basic_notes_pk', columns: [table.workspaceId, table.id] }),
    index('ydtb_basic_notes_workspace_created_idx').on(table.workspaceId, table.createdAt),
  ],
);

export const PINNED: MigrationDefinition = {
  id: '0002_pinned',
  sql: 'ALTER TABLE "ydtb_basic_notes" ADD COLUMN "pinned" boolean DEFAULT false NOT NULL;',
  down: 'ALTER TABLE "ydtb_basic_notes" DROP COLUMN "pinned";',
};

/** @ydtb/basic with `0002_pinned` after its shipped `0001_init`; `second` replaces that migration. */
export function basicInTwoSteps(second: MigrationDefinition = PINNED): PackageSchemaRegistration {
  const basic = registrationOf('@ydtb/basic');
  return { ...basic, schema: { ...basic.schema, notes: pinnedNotes }, migrations: [...(basic.migrations ?? []), second] };
}

/** 0002_pinned without its down file. */
export const PINNED_WITHOUT_DOWN: MigrationDefinition = { id: PINNED.id, sql: (PINNED as { sql: string }).sql };

/** 0002_pinned, run outside a transaction. */
export const PINNED_WITHOUT_TRANSACTION: MigrationDefinition = {
  id: PINNED.id,
  sql: `-- ydtb:no-transaction\n${(PINNED as { sql: string }).sql}`,
  down: PINNED.down!,
};

/**
 * 0002_pinned whose down SQL also rebuilds the notes' primary key, dropping it with CASCADE: that
 * drops every foreign key into it, crm's included.
 */
export const PINNED_DOWN_DROPS_KEYS: MigrationDefinition = {
  id: PINNED.id,
  sql: (PINNED as { sql: string }).sql,
  down: `${PINNED.down!}
ALTER TABLE "ydtb_basic_notes" DROP CONSTRAINT "ydtb_basic_notes_pk" CASCADE;
ALTER TABLE "ydtb_basic_notes" ADD CONSTRAINT "ydtb_basic_notes_pk" PRIMARY KEY ("workspace_id", "id");`,
};

const phoneContacts = ydtbTable(
  'crm_contacts',
  {
    id: uuid('id').defaultRandom().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    phone: text('phone'),
  },
  (table) => [
    primaryKey({ name: 'ydtb_crm_contacts_pk', columns: [table.workspaceId, table.id] }),
    unique('ydtb_crm_contacts_email_key').on(table.workspaceId, table.email),
  ],
);

/** @ydtb/crm with `0003_phone` after the migrations it ships (`0001_init`, `0002_note_link_index`). */
export function crmInTwoSteps(): PackageSchemaRegistration {
  const crm = registrationOf('@ydtb/crm');
  return {
    ...crm,
    schema: { ...crmSchema, contacts: phoneContacts },
    migrations: [
      ...(crm.migrations ?? []),
      { id: '0003_phone', sql: 'ALTER TABLE "ydtb_crm_contacts" ADD COLUMN "phone" text;', down: 'ALTER TABLE "ydtb_crm_contacts" DROP COLUMN "phone";' },
    ],
  };
}

/** 0002_pinned whose down SQL names a column that does not exist: it fails in the database. */
export const PINNED_DOWN_FAILS: MigrationDefinition = {
  id: PINNED.id,
  sql: (PINNED as { sql: string }).sql,
  down: 'ALTER TABLE "ydtb_basic_notes" DROP COLUMN "pinned";\nALTER TABLE "ydtb_basic_notes" DROP COLUMN "no_such_column";',
};

/** 0002_pinned whose down SQL commits: it would end the rollback's one transaction half-way. */
export const PINNED_DOWN_COMMITS: MigrationDefinition = {
  id: PINNED.id,
  sql: (PINNED as { sql: string }).sql,
  down: `${PINNED.down!}\nCOMMIT;`,
};
