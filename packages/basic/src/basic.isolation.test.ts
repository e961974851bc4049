import { randomUUID } from 'node:crypto';
import { createPackageTestKit, type EphemeralDatabase, type Seed } from '@ydtb/testing';
import { basicModule } from './module';
import { noteTags, notes } from './schema';

/** One note with one tag per workspace: a row in every table of @ydtb/basic. */
export const seedBasic: Seed = async (tx, workspaceId) => {
  const noteId = randomUUID();
  await tx.insert(notes).values({ id: noteId, workspaceId, title: 'Welcome' });
  await tx.insert(noteTags).values({ workspaceId, noteId, tag: 'onboarding' });
};

describe('@ydtb/basic', () => {
  const kit = createPackageTestKit(basicModule);
  let database: EphemeralDatabase;

  beforeAll(async () => {
    database = await kit.migrate();
  });

  afterAll(async () => {
    await database.close();
  });

  describe('when migrated into an empty database', () => {
    it('should register without warnings and create its tables', () => {
      expect(kit.package.warnings).toEqual([]);
      expect(kit.package.tables.map((t) => t.config.name).sort()).toEqual(['ydtb_basic_note_tags', 'ydtb_basic_notes']);
    });

    it('should keep every table isolated by workspace', async () => {
      const report = await kit.assertIsolation(database, seedBasic);

      expect(report.tables.map((t) => [t.table, t.rowsOfA, t.rowsOfB]).sort()).toEqual([
        ['ydtb_basic_note_tags', 1, 1],
        ['ydtb_basic_notes', 1, 1],
      ]);
    });
  });
});
