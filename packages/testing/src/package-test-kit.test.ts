import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { definePackage, workspaces, ydtbTable } from '@ydtb/plugin-api';
import { SchemaValidationError } from '@ydtb/core';
import { createPackageTestKit, IsolationAssertionError, type EphemeralDatabase, type Seed } from './index.ts';

const items = ydtbTable(
  'kit_items',
  {
    id: uuid('id').notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    label: text('label').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

const CREATE_ITEMS = `CREATE TABLE ydtb_kit_items (
  id uuid NOT NULL,
  workspace_id text NOT NULL REFERENCES ydtb_workspaces(id),
  label text NOT NULL,
  PRIMARY KEY (workspace_id, id)
);`;

const kitPackage = definePackage({
  database: { packageName: '@test/kit', version: '1.0.0', schema: { items }, migrations: [{ id: '0001_init', sql: CREATE_ITEMS }] },
});

const seedItems: Seed = async (tx, workspaceId) => {
  await tx.insert(items).values({ id: crypto.randomUUID(), workspaceId, label: `item of ${workspaceId}` });
};

describe('PackageTestKit', () => {
  describe('when the package is isolated', () => {
    let database: EphemeralDatabase;

    beforeAll(async () => {
      database = await createPackageTestKit(kitPackage).migrate();
    });

    afterAll(async () => {
      await database.close();
    });

    it('should report every table with rows of both workspaces', async () => {
      const report = await createPackageTestKit(kitPackage).assertIsolation(database, seedItems);

      expect(report).toEqual({ packageName: '@test/kit', tables: [{ table: 'ydtb_kit_items', rowsOfA: 1, rowsOfB: 1 }] });
    });

    it('should fail when row-level security has been switched off', async () => {
      await database.client.exec('ALTER TABLE ydtb_kit_items DISABLE ROW LEVEL SECURITY');

      const failure = await createPackageTestKit(kitPackage).assertIsolation(database, seedItems).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(IsolationAssertionError);
      expect((failure as IsolationAssertionError).failures).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ydtb_kit_items: workspace A sees \d+ rows of other workspaces$/),
          expect.stringMatching(/^ydtb_kit_items: workspace A updated \d+ rows of workspace B$/),
          expect.stringMatching(/^ydtb_kit_items: workspace A could write a row of workspace B \(it failed only later: duplicate key/),
          expect.stringMatching(/^ydtb_kit_items: with no workspace set, \d+ rows are visible$/),
        ]),
      );
    });
  });

  describe('when the seed misses a table', () => {
    it('should say which table to seed', async () => {
      const kit = createPackageTestKit(kitPackage);
      const database = await kit.migrate();
      try {
        const failure = await kit.assertIsolation(database, async () => undefined).catch((error: unknown) => error);

        expect((failure as IsolationAssertionError).failures[0]).toBe(
          'ydtb_kit_items: the seed wrote no row for ydtb_test_workspace_a; seed every table of the package',
        );
      } finally {
        await database.close();
      }
    });
  });

  describe('when a rule is silenced with a reason', () => {
    const legacy = pgTable('legacy_items', {
      id: uuid('id').notNull(),
      workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const legacyPackage = definePackage({ database: { packageName: '@test/legacy', version: '1.0.0', schema: { legacy } } });

    it('should accept what only that rule refuses', () => {
      expect(() => createPackageTestKit(legacyPackage).registry).toThrow(SchemaValidationError);
      expect(createPackageTestKit(legacyPackage, { silence: { 'ydtb/table-prefix': 'imported from the old app' } }).package.tables).toHaveLength(1);
    });

    it('should refuse an unknown rule id or an empty reason', () => {
      expect(() => createPackageTestKit(legacyPackage, { silence: { 'ydtb/nope': 'x' } })).toThrow(/There is no rule "ydtb\/nope"/);
      expect(() => createPackageTestKit(legacyPackage, { silence: { 'ydtb/table-prefix': ' ' } })).toThrow('Silencing ydtb/table-prefix needs a reason.');
    });
  });

  describe('when the migrations do not create a table of the schema', () => {
    it('should fail the migration with the drift', async () => {
      const forgetful = definePackage({ database: { packageName: '@test/forgetful', version: '1.0.0', schema: { items }, migrations: [] } });

      await expect(createPackageTestKit(forgetful).migrate()).rejects.toThrow(/Table "ydtb_kit_items" of @test\/forgetful does not exist/);
    });
  });
});
