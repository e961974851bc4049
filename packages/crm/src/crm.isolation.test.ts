import { randomUUID } from 'node:crypto';
import { basicModule, basicSchema } from '@ydtb/basic';
import { createPackageTestKit, type EphemeralDatabase } from '@ydtb/testing';
import { crmModule } from './module';
import { contactNotes, contacts } from './schema';

describe('@ydtb/crm', () => {
  const kit = createPackageTestKit(crmModule, { dependencies: [basicModule] });
  let database: EphemeralDatabase;

  beforeAll(async () => {
    database = await kit.migrate();
  });

  afterAll(async () => {
    await database.close();
  });

  describe('when migrated after @ydtb/basic', () => {
    it('should keep contacts and their links to notes isolated by workspace', async () => {
      const report = await kit.assertIsolation(database, async (tx, workspaceId) => {
        const noteId = randomUUID();
        const contactId = randomUUID();
        await tx.insert(basicSchema.notes).values({ id: noteId, workspaceId, title: 'Met at the fair' });
        await tx.insert(contacts).values({ id: contactId, workspaceId, name: 'Ada', email: 'ada@example.com' });
        await tx.insert(contactNotes).values({ workspaceId, contactId, noteId });
      });

      expect(report.tables.map((t) => t.table).sort()).toEqual(['ydtb_crm_contact_notes', 'ydtb_crm_contacts']);
    });

    it('should refuse to link a contact to a note of another workspace', async () => {
      const [note] = await database.client.query<{ id: string }>(`SELECT id FROM ydtb_basic_notes WHERE workspace_id = 'ydtb_test_workspace_b' LIMIT 1`);
      const [contact] = await database.client.query<{ id: string }>(`SELECT id FROM ydtb_crm_contacts WHERE workspace_id = 'ydtb_test_workspace_a' LIMIT 1`);

      // Even with row-level security out of the way, the composite foreign key refuses the link.
      await expect(
        database.client.query(`INSERT INTO ydtb_crm_contact_notes (workspace_id, contact_id, note_id) VALUES ('ydtb_test_workspace_a', $1, $2)`, [contact!.id, note!.id]),
      ).rejects.toThrow(/ydtb_crm_contact_notes_note_fk/);
    });
  });

  describe('when built without its dependency', () => {
    it('should say which module to pass', () => {
      expect(() => createPackageTestKit(crmModule)).toThrow('@ydtb/crm depends on @ydtb/basic: pass its module in the kit\'s "dependencies".');
    });
  });
});
