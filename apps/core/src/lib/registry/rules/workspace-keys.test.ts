import { foreignKey, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users, workspaces, ydtbTable } from '@ydtb/plugin-api';
import { basicModule, basicSchema } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { currencies } from '../fixtures/billing-schema.ts';
import { registeredWithCore } from '../fixtures/registered-packages.ts';
import { leakyContactNotes, leakyContacts } from '../fixtures/rejected-schemas.ts';
import { PACKAGE_SCHEMA } from '@ydtb/plugin-api';
import { createContainer } from '../container.ts';
import { WorkspaceKeysRule } from './workspace-keys.ts';

const rule = new WorkspaceKeysRule(defaultRegistryConfig);
const workspaceId = () => text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' });
const registrationOfModule = (module: typeof basicModule) => createContainer([module]).get(PACKAGE_SCHEMA);

describe('WorkspaceKeysRule', () => {
  describe('when every key leads with workspace_id', () => {
    it('should accept @ydtb/basic, @ydtb/crm and a realistic schema with identity and serial ids', () => {
      const basic = registrationOfModule(basicModule);
      const registered = registeredWithCore(basic, billingRegistration);

      expect(runRule(rule, basic, registeredWithCore())).toEqual([]);
      expect(runRule(rule, registrationOfModule(crmModule), registered)).toEqual([]);
      expect(runRule(rule, billingRegistration, registeredWithCore())).toEqual([]);
    });

    it('should accept foreign keys to core tables and to global tables by their own key', () => {
      const orders = ydtbTable(
        'shop_orders',
        {
          id: uuid('id').notNull(),
          workspaceId: workspaceId(),
          placedBy: text('placed_by').references(() => users.id),
          currency: text('currency').notNull(),
        },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ name: 'ydtb_shop_orders_currency_fk', columns: [t.currency], foreignColumns: [currencies.code] })],
      );

      expect(runRule(rule, registrationOf({ orders }, { packageName: '@test/shop' }), registeredWithCore(billingRegistration))).toEqual([]);
    });
  });

  describe('when a key is checked across workspaces', () => {
    it('should reject a serial primary key alone and an e-mail unique in the whole table, with the fix', () => {
      const violations = runRule(rule, registrationOf({ leakyContacts }));

      expect(violations.map((v) => v.message)).toEqual([
        'The primary key ydtb_leaky_contacts_pkey (id) of "ydtb_leaky_contacts" does not include workspace_id: PostgreSQL checks it across all workspaces, so a duplicate-key error would tell one workspace that another holds the value.',
        'The unique constraint ydtb_leaky_contacts_email_unique (email) of "ydtb_leaky_contacts" does not include workspace_id: PostgreSQL checks it across all workspaces, so a duplicate-key error would tell one workspace that another holds the value.',
      ]);
      expect(violations[0]).toMatchObject({ rule: 'ydtb/workspace-keys', severity: 'error', hint: expect.stringContaining('primaryKey({ columns: [t.workspaceId, t.id] })') });
    });

    it('should reject a unique index on an expression without workspace_id', () => {
      const people = ydtbTable(
        'demo_people',
        { id: uuid('id').notNull(), workspaceId: workspaceId(), email: text('email').notNull() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('ydtb_demo_people_email_idx').on(sql`lower(${t.email})`)],
      );

      expect(runRule(rule, registrationOf({ people })).map((v) => v.message)).toEqual([expect.stringContaining('The unique constraint ydtb_demo_people_email_idx (<expression>)')]);
    });
  });

  describe('when a foreign key to a workspace table goes by id alone', () => {
    it('should reject one to the package\'s own table', () => {
      const violations = runRule(rule, registrationOf({ leakyContacts, leakyContactNotes })).filter((v) => v.table === 'ydtb_leaky_contact_notes');

      expect(violations).toEqual([
        expect.objectContaining({
          column: 'contact_id',
          message:
            'The foreign key ydtb_leaky_contact_notes_contact_id_ydtb_leaky_contacts_id_fk from "ydtb_leaky_contact_notes" to "ydtb_leaky_contacts" does not carry workspace_id on both sides, so a row could point at another workspace\'s row and a workspace could probe which ids exist in another.',
        }),
      ]);
    });

    it('should reject one to another package\'s workspace table', () => {
      const comments = ydtbTable(
        'talk_comments',
        { id: uuid('id').notNull(), workspaceId: workspaceId(), noteId: uuid('note_id').notNull() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ name: 'ydtb_talk_comments_note_fk', columns: [t.noteId], foreignColumns: [basicSchema.notes.id] })],
      );
      const registered = registeredWithCore(registrationOfModule(basicModule));

      expect(runRule(rule, registrationOf({ comments }, { dependencies: ['@ydtb/basic'] }), registered).map((v) => v.message)).toEqual([
        expect.stringContaining('The foreign key ydtb_talk_comments_note_fk from "ydtb_talk_comments" to "ydtb_basic_notes" does not carry workspace_id'),
      ]);
    });
  });

  describe('when a foreign key carries workspace_id on its own side only', () => {
    it('should reject (workspace_id, parent_id) referencing (owner_workspace_id, id)', () => {
      const folders = ydtbTable(
        'demo_folders',
        { id: uuid('id').notNull(), workspaceId: workspaceId(), ownerWorkspaceId: text('owner_workspace_id').notNull() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('ydtb_demo_folders_owner_idx').on(t.workspaceId, t.ownerWorkspaceId, t.id)],
      );
      const files = ydtbTable(
        'demo_files',
        { id: uuid('id').notNull(), workspaceId: workspaceId(), parentId: uuid('parent_id').notNull() },
        (t) => [
          primaryKey({ columns: [t.workspaceId, t.id] }),
          foreignKey({ name: 'ydtb_demo_files_parent_fk', columns: [t.workspaceId, t.parentId], foreignColumns: [folders.ownerWorkspaceId, folders.id] }),
        ],
      );

      expect(runRule(rule, registrationOf({ folders, files }))).toEqual([
        expect.objectContaining({
          table: 'ydtb_demo_files',
          column: 'workspace_id, parent_id',
          message:
            'The foreign key ydtb_demo_files_parent_fk from "ydtb_demo_files" to "ydtb_demo_folders" does not carry workspace_id on both sides, so a row could point at another workspace\'s row and a workspace could probe which ids exist in another.',
        }),
      ]);
    });

    it('should reject one whose referenced side names workspace_id at another position', () => {
      const folders = ydtbTable(
        'demo_folders',
        { id: uuid('id').notNull(), workspaceId: workspaceId() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );
      const files = ydtbTable(
        'demo_files',
        { id: uuid('id').notNull(), workspaceId: workspaceId(), parentId: uuid('parent_id').notNull() },
        (t) => [
          primaryKey({ columns: [t.workspaceId, t.id] }),
          foreignKey({ name: 'ydtb_demo_files_parent_fk', columns: [t.workspaceId, t.parentId], foreignColumns: [folders.id, folders.workspaceId] }),
        ],
      );

      expect(runRule(rule, registrationOf({ folders, files })).map((v) => v.table)).toEqual(['ydtb_demo_files']);
    });
  });

  describe('when the table is declared global', () => {
    it('should not check its keys', () => {
      expect(runRule(rule, registrationOf({ leakyContacts }, { globalTables: { ydtb_leaky_contacts: 'test' } }))).toEqual([]);
    });
  });
});
