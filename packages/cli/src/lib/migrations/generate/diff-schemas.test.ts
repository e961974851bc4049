import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { closeTemplatePglite, databaseKinds } from '../../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../../test/thrown.ts';
import type { SqlClient } from '../../../../../../apps/core/src/lib/database/sql-client.ts';
import { AmbiguousChangeError, SchemaChoiceError } from './ambiguous-change-error.ts';
import { diffSchemas } from './diff-schemas.ts';
import { contactsSchema, type SchemaVersion } from './fixtures/schema-versions.ts';
import type { SchemaChoices } from './resolve-choices.ts';
import type { Snapshot } from './snapshot.ts';

const snapshotOf = (version: SchemaVersion): Snapshot => generateDrizzleJson(contactsSchema(version));
const diff = (from: SchemaVersion, to: SchemaVersion, choices?: SchemaChoices) => diffSchemas('@test/gen', snapshotOf(from), snapshotOf(to), choices);

afterAll(closeTemplatePglite);

describe('diffSchemas', () => {
  describe('when a column is renamed and no choice is given', () => {
    it('should refuse with both readings of the change and the flag for each, without prompting', async () => {
      const error = await rejectionOf(diff({}, { nameColumn: 'display_name' }));

      expect(error).toBeInstanceOf(AmbiguousChangeError);
      expect((error as AmbiguousChangeError).changes).toEqual([
        {
          kind: 'column',
          within: 'ydtb_gen_contacts',
          gone: [
            {
              ref: 'ydtb_gen_contacts.full_name',
              renames: ['--rename ydtb_gen_contacts.full_name=display_name'],
              drop: '--drop ydtb_gen_contacts.full_name',
            },
          ],
          added: ['display_name'],
        },
      ]);
    });
  });

  describe('when each kind drizzle-kit asks about is renamed without a choice', () => {
    it.each([
      ['table', { table: 'gen_people' }, '--rename ydtb_gen_contacts=ydtb_gen_people'],
      ['enum', { enumName: 'ydtb_gen_state' }, '--rename ydtb_gen_status=ydtb_gen_state'],
      ['sequence', { sequenceName: 'ydtb_gen_seq' }, '--rename ydtb_gen_counter=ydtb_gen_seq'],
    ] as const)('should refuse a renamed %s and name the flag', async (kind, to, flag) => {
      const error = (await rejectionOf(diff({}, to))) as AmbiguousChangeError;

      expect(error).toBeInstanceOf(AmbiguousChangeError);
      expect(error.changes.map((c) => [c.kind, c.gone.flatMap((g) => g.renames)])).toEqual([[kind, [flag]]]);
    });

    it('should refuse a renamed view and name the flag', async () => {
      const error = (await rejectionOf(diff({ viewName: 'ydtb_gen_v' }, { viewName: 'ydtb_gen_w' }))) as AmbiguousChangeError;

      expect(error.changes.map((c) => [c.kind, c.gone.flatMap((g) => g.renames)])).toEqual([['view', ['--rename ydtb_gen_v=ydtb_gen_w']]]);
    });
  });

  describe('when the renames are chosen', () => {
    it('should rename the column and nothing else', async () => {
      expect(await diff({}, { nameColumn: 'display_name' }, { renames: ['ydtb_gen_contacts.full_name=display_name'] })).toEqual([
        'ALTER TABLE "ydtb_gen_contacts" RENAME COLUMN "full_name" TO "display_name";',
      ]);
    });

    it('should rename a table, then ask about the columns renamed in it under its new name', async () => {
      const to = { table: 'gen_people', nameColumn: 'display_name' };
      const error = (await rejectionOf(diff({}, to, { renames: ['ydtb_gen_contacts=ydtb_gen_people'] }))) as AmbiguousChangeError;
      expect(error.changes.flatMap((c) => c.gone.map((g) => g.ref))).toEqual(['ydtb_gen_people.full_name']);

      expect(await diff({}, to, { renames: ['ydtb_gen_contacts=ydtb_gen_people', 'ydtb_gen_people.full_name=display_name'] })).toEqual([
        'ALTER TABLE "ydtb_gen_contacts" RENAME TO "ydtb_gen_people";',
        'ALTER TABLE "ydtb_gen_people" RENAME COLUMN "full_name" TO "display_name";',
      ]);
    });

    it('should rename an enum, a sequence and a view', async () => {
      expect(await diff({}, { enumName: 'ydtb_gen_state' }, { renames: ['ydtb_gen_status=ydtb_gen_state'] })).toEqual([
        'ALTER TYPE "public"."ydtb_gen_status" RENAME TO "ydtb_gen_state";',
      ]);
      expect(await diff({}, { sequenceName: 'ydtb_gen_seq' }, { renames: ['ydtb_gen_counter=ydtb_gen_seq'] })).toEqual([
        'ALTER SEQUENCE "public"."ydtb_gen_counter" RENAME TO "ydtb_gen_seq";',
      ]);
      expect(await diff({ viewName: 'ydtb_gen_v' }, { viewName: 'ydtb_gen_w' }, { renames: ['ydtb_gen_v=ydtb_gen_w'] })).toEqual([
        'ALTER VIEW "public"."ydtb_gen_v" RENAME TO "ydtb_gen_w";',
      ]);
    });
  });

  describe("when an enum value is gone beside a new one (drizzle-kit would recreate the type without asking)", () => {
    const to = { statusValues: ['active', 'hidden'] } as const;

    it('should refuse without a choice', async () => {
      const error = (await rejectionOf(diff({}, to))) as AmbiguousChangeError;

      expect(error).toBeInstanceOf(AmbiguousChangeError);
      expect(error.changes).toEqual([
        {
          kind: 'enum value',
          within: 'ydtb_gen_status',
          gone: [{ ref: 'ydtb_gen_status.archived', renames: ['--rename ydtb_gen_status.archived=hidden'], drop: '--drop ydtb_gen_status.archived' }],
          added: ['hidden'],
        },
      ]);
    });

    it('should rename the value in place when chosen', async () => {
      expect(await diff({}, to, { renames: ['ydtb_gen_status.archived=hidden'] })).toEqual([
        `ALTER TYPE "public"."ydtb_gen_status" RENAME VALUE 'archived' TO 'hidden';`,
      ]);
    });

    it("should leave drizzle-kit's drop and re-create of the type when the drop is chosen", async () => {
      expect(await diff({}, to, { drops: ['ydtb_gen_status.archived'] })).toContain('DROP TYPE "public"."ydtb_gen_status";');
    });

    it('should add a value without asking', async () => {
      expect(await diff({}, { statusValues: ['active', 'archived', 'hidden'] })).toEqual([
        `ALTER TYPE "public"."ydtb_gen_status" ADD VALUE 'hidden';`,
      ]);
    });
  });

  describe('when a column is dropped and another added in the same table', () => {
    it('should drop the old column (and its index) first, then add the new one, once the drop is chosen', async () => {
      expect(await diff({}, { nameColumn: null, extraColumn: 'nickname' }, { drops: ['ydtb_gen_contacts.full_name'] })).toEqual([
        'DROP INDEX "ydtb_gen_contacts_name_idx";',
        'ALTER TABLE "ydtb_gen_contacts" DROP COLUMN "full_name";',
        'ALTER TABLE "ydtb_gen_contacts" ADD COLUMN "nickname" text;',
        'CREATE INDEX "ydtb_gen_contacts_name_idx" ON "ydtb_gen_contacts" USING btree ("workspace_id","nickname");',
      ]);
    });
  });

  describe('when a table is dropped and another created', () => {
    it('should drop one and create the other once the drop is chosen', async () => {
      const statements = await diff({}, { table: 'gen_people' }, { drops: ['ydtb_gen_contacts'] });

      expect(statements[0]).toBe('DROP TABLE "ydtb_gen_contacts" CASCADE;');
      expect(statements[1]).toMatch(/^CREATE TABLE "ydtb_gen_people"/);
    });
  });

  describe('when a choice does not fit', () => {
    it.each([
      [{ renames: ['ydtb_gen_contacts.full_name=nickname'] }, '"nickname" is not new here; new: display_name'],
      [{ renames: ['ydtb_gen_contacts.full_name'] }, 'write it as <old>=<new>'],
      [
        { renames: ['ydtb_gen_contacts.full_name=display_name'], drops: ['ydtb_gen_contacts.full_name'] },
        'choose once for "ydtb_gen_contacts.full_name"',
      ],
      [
        { renames: ['ydtb_gen_contacts.full_name=display_name'], drops: ['ydtb_gen_contacts.position'] },
        '"ydtb_gen_contacts.position" is not an object that is gone while another is new',
      ],
    ])('should refuse %j and say why', async (choices, reason) => {
      const error = await rejectionOf(diff({}, { nameColumn: 'display_name' }, choices));

      expect(error).toBeInstanceOf(SchemaChoiceError);
      expect((error as SchemaChoiceError).problems.map((p) => p.reason).join('\n')).toContain(reason);
    });

    it('should refuse a choice when nothing is ambiguous', async () => {
      const error = await rejectionOf(diff({}, {}, { drops: ['ydtb_gen_contacts.full_name'] }));

      expect(error).toBeInstanceOf(SchemaChoiceError);
    });
  });
});

describe.each(databaseKinds)('a generated rename applied on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    const created = await diffSchemas('@test/gen', generateDrizzleJson({}), snapshotOf({}));
    await client.exec(created.join('\n'));
    await client.exec(`INSERT INTO ydtb_gen_contacts (id, workspace_id, full_name, status) VALUES ('c1', 'w1', 'Ada', 'archived')`);
  });

  afterEach(async () => {
    await release();
  });

  describe('when the table, its name column and its enum are renamed', () => {
    it('should keep the row, its name and its status', async () => {
      const statements = await diff(
        {},
        { table: 'gen_people', nameColumn: 'display_name', enumName: 'ydtb_gen_state' },
        { renames: ['ydtb_gen_contacts=ydtb_gen_people', 'ydtb_gen_people.full_name=display_name', 'ydtb_gen_status=ydtb_gen_state'] },
      );

      await client.exec(statements.join('\n'));

      expect(await client.query(`SELECT id, display_name, status::text AS status FROM ydtb_gen_people`)).toEqual([
        { id: 'c1', display_name: 'Ada', status: 'archived' },
      ]);
    });
  });

  describe('when the status value the row holds is renamed', () => {
    it('should keep the row, with the new value', async () => {
      const statements = await diff({}, { statusValues: ['active', 'hidden'] }, { renames: ['ydtb_gen_status.archived=hidden'] });

      await client.exec(statements.join('\n'));

      expect(await client.query(`SELECT id, status::text AS status FROM ydtb_gen_contacts`)).toEqual([{ id: 'c1', status: 'hidden' }]);
    });
  });

  describe('when a table another one references is dropped and a new one takes its place', () => {
    it('should drop it with the foreign key and point the key at the new table', async () => {
      await client.exec(await diff({}, { tags: true }).then((s) => s.join('\n')));
      const statements = await diff({ tags: true }, { tags: true, table: 'gen_people' }, { drops: ['ydtb_gen_contacts'] });

      await client.exec(statements.join('\n'));

      expect(statements.join('\n')).not.toContain('DROP CONSTRAINT');
      expect(
        await client.query(`SELECT conrelid::regclass::text AS "from", confrelid::regclass::text AS "to" FROM pg_constraint WHERE contype = 'f'`),
      ).toEqual([{ from: 'ydtb_gen_tags', to: 'ydtb_gen_people' }]);
    });
  });

  describe('when the name column is dropped and another added', () => {
    it('should keep the row without the dropped column', async () => {
      const statements = await diff({}, { nameColumn: null, extraColumn: 'nickname' }, { drops: ['ydtb_gen_contacts.full_name'] });

      await client.exec(statements.join('\n'));

      expect(await client.query(`SELECT * FROM ydtb_gen_contacts`)).toEqual([
        { id: 'c1', workspace_id: 'w1', status: 'archived', position: 0, nickname: null },
      ]);
    });
  });
});
