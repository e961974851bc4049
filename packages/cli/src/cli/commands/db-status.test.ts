import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { runCliCaptured } from '../run-cli-captured.ts';

/** Runs the CLI in-process against an embedded database in `dataDir`. */
const ydtb = (args: string, dataDir: string) => runCliCaptured(args.split(' '), { env: { YDTB_DATA_DIR: dataDir } });

/** Changes the embedded database behind the CLI's back, as an operator with psql would. */
async function tamper(dataDir: string, sql: string): Promise<void> {
  const pg = await PGlite.create(dataDir);
  try {
    await pg.exec(sql);
  } finally {
    await pg.close();
  }
}

describe('ydtb db status', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ydtb-status-'));
    expect((await ydtb('db migrate', dataDir)).code).toBe(0);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('when the application role was given a core table and TRUNCATE on a package table', () => {
    it('should exit 4 naming both, and migrate should restore them', async () => {
      await tamper(dataDir, 'GRANT SELECT ON ydtb_users TO ydtb_app; GRANT TRUNCATE ON ydtb_crm_contacts TO ydtb_app;');

      const status = await ydtb('db status', dataDir);
      expect(status.code).toBe(4);
      expect(status.out).toContain('privileges (no package): The application role ydtb_app holds SELECT on table "ydtb_users"');
      expect(status.out).toContain('privileges @ydtb/crm: The application role ydtb_app holds TRUNCATE on table "ydtb_crm_contacts" of @ydtb/crm');

      const migrate = await ydtb('db migrate', dataDir);
      expect(migrate.code).toBe(0);
      expect(migrate.out).toContain('Restored:\n  privileges (no package): The application role ydtb_app holds SELECT on table "ydtb_users" (not a package relation: off limits to it); it must hold nothing.\n');
      expect(migrate.out).toContain('the isolation probe read no other workspace\'s rows');
      expect((await ydtb('db status', dataDir)).code).toBe(0);
    });
  });

  describe('when a schema of its own, a definer function there and a trigger running it on a package table were added', () => {
    it('should exit 4 naming each of them, and migrate should report them until they are dropped', async () => {
      await tamper(dataDir, `CREATE SCHEMA s;
        CREATE FUNCTION s.mirror() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER mirror AFTER INSERT ON ydtb_basic_notes FOR EACH ROW EXECUTE FUNCTION s.mirror();`);

      const status = await ydtb('db status', dataDir);
      expect(status.code).toBe(4);
      expect(status.out).toContain('schema (no package): Schema "s" (owned by postgres) is not the schema the registry migrates');
      expect(status.out).toContain('foreign-object (no package): Function s.mirror(), SECURITY DEFINER');
      expect(status.out).toContain('trigger @ydtb/basic: Trigger "mirror" on ydtb_basic_notes runs s.mirror()');

      const migrate = await ydtb('db migrate', dataDir);
      expect(migrate.code).not.toBe(0);
      expect(migrate.out + migrate.err).toContain('Schema "s"');
      await tamper(dataDir, 'DROP SCHEMA s CASCADE');
      expect((await ydtb('db status', dataDir)).code).toBe(0);
    });
  });

  describe('when asked to go deep', () => {
    it('should run the isolation probe and catch a table whose security was switched off', async () => {
      expect((await ydtb('db status --deep', dataDir)).code).toBe(0);
      await tamper(dataDir, `INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one');
        INSERT INTO ydtb_basic_notes (workspace_id, title) VALUES ('w1', 'secret');
        ALTER TABLE ydtb_basic_notes DISABLE ROW LEVEL SECURITY;`);

      const status = await ydtb('db status --deep --json', dataDir);

      expect(status.code).toBe(4);
      expect(JSON.parse(status.out).drift.map((d: { kind: string; table: string }) => [d.kind, d.table])).toEqual([
        ['isolation', 'ydtb_basic_notes'],
        ['isolation-probe', 'ydtb_basic_notes'],
        ['isolation-probe', 'ydtb_basic_notes'],
      ]);
    });
  });
});
