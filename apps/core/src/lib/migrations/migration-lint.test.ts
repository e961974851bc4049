import { describe, expect, it } from '@jest/globals';
import { lintMigrations, MIGRATION_RULES } from './migration-lint.ts';

const lint = (sql: string) => lintMigrations([{ packageName: '@test/alpha', migrations: [{ id: '0002_attack', sql }] }]);
const create = 'CREATE TABLE ydtb_alpha_items (id text PRIMARY KEY);';

describe('lintMigrations', () => {
  describe('when a migration controls the transaction at top level', () => {
    it.each([
      'BEGIN;',
      'BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE;',
      'START TRANSACTION;',
      'COMMIT;',
      'COMMIT AND CHAIN;',
      'END;',
      'ROLLBACK;',
      'ABORT;',
      'SAVEPOINT before_drop;',
      'RELEASE SAVEPOINT before_drop;',
      'ROLLBACK TO SAVEPOINT before_drop;',
      "PREPARE TRANSACTION 'half';",
      "COMMIT PREPARED 'half';",
      "ROLLBACK PREPARED 'half';",
    ])('should refuse %s with package, migration and line', async (statement) => {
      const findings = await lint(`${create}\n\n-- sneaky\n${statement}\n${create}`);

      expect(findings).toEqual([
        expect.objectContaining({ rule: MIGRATION_RULES.transaction, severity: 'error', packageName: '@test/alpha', migration: '0002_attack', line: 4 }),
      ]);
      expect(findings[0]!.message).toContain(statement.split(' ')[0]!.replace(';', ''));
      expect(findings[0]!.hint).toContain('Remove the statement');
    });

    it('should find it on its own line when several statements share a line or follow multi-byte text', async () => {
      const findings = await lint(`COMMENT ON TABLE t IS 'héhé ✓ ünïcode';\nSELECT 1; SELECT 2;\n   select 3; commit; select 4;`);

      expect(findings.map((f) => [f.rule, f.line])).toEqual([[MIGRATION_RULES.transaction, 3]]);
    });
  });

  describe('when a migration changes the role or the session', () => {
    it.each([
      ['SET ROLE admin;', MIGRATION_RULES.role],
      ['SET LOCAL ROLE admin;', MIGRATION_RULES.role],
      ['SET SESSION ROLE admin;', MIGRATION_RULES.role],
      ['SET ROLE NONE;', MIGRATION_RULES.role],
      ['RESET ROLE;', MIGRATION_RULES.role],
      ["SET SESSION AUTHORIZATION 'admin';", MIGRATION_RULES.role],
      ['SET SESSION AUTHORIZATION DEFAULT;', MIGRATION_RULES.role],
      ['RESET SESSION AUTHORIZATION;', MIGRATION_RULES.role],
      ['RESET ALL;', MIGRATION_RULES.session],
      ['DISCARD ALL;', MIGRATION_RULES.session],
      ['DISCARD TEMP;', MIGRATION_RULES.session],
    ])('should refuse %s', async (statement, rule) => {
      const findings = await lint(`${create}\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule, line: 2 })]);
    });

    it('should leave ordinary settings alone', async () => {
      expect(await lint(`SET LOCAL lock_timeout = '5s';\nRESET lock_timeout;\n${create}`)).toEqual([]);
    });
  });

  describe('when a migration changes the session or the database beyond the package', () => {
    it.each([
      ['SET search_path = other;', MIGRATION_RULES.session],
      ['SET LOCAL search_path TO other, public;', MIGRATION_RULES.session],
      ['RESET search_path;', MIGRATION_RULES.session],
      ["SELECT pg_catalog.set_config('search_path', '', false);", MIGRATION_RULES.session],
      ["SELECT set_config('role', 'postgres', false);", MIGRATION_RULES.role],
      ["SELECT set_config('session_authorization', 'postgres', false);", MIGRATION_RULES.role],
      ["SET ydtb.workspace_id = 'ws_b';", MIGRATION_RULES.session],
      ["SELECT set_config('ydtb.workspace_id', 'ws_b', true);", MIGRATION_RULES.session],
      ["INSERT INTO ydtb_alpha_items (id) SELECT set_config('ROLE', 'postgres', true);", MIGRATION_RULES.role],
      ["SELECT U&\"set\\005fconfig\"('role', 'postgres', false);", MIGRATION_RULES.role],
      ['CREATE SCHEMA s;', MIGRATION_RULES.database],
      ['CREATE SCHEMA IF NOT EXISTS s AUTHORIZATION postgres;', MIGRATION_RULES.database],
      ['DROP SCHEMA s CASCADE;', MIGRATION_RULES.database],
      ['ALTER SCHEMA public OWNER TO someone;', MIGRATION_RULES.database],
      ["ALTER DATABASE app SET ydtb.workspace_id = 'ws_b';", MIGRATION_RULES.database],
      ['ALTER DATABASE app OWNER TO someone;', MIGRATION_RULES.database],
      ["ALTER ROLE ydtb_app SET ydtb.workspace_id = 'ws_b';", MIGRATION_RULES.database],
      ['ALTER ROLE ydtb_app BYPASSRLS;', MIGRATION_RULES.database],
      ['CREATE ROLE sneaky LOGIN SUPERUSER;', MIGRATION_RULES.database],
      ['DROP ROLE ydtb_app;', MIGRATION_RULES.database],
      ['GRANT postgres TO ydtb_app;', MIGRATION_RULES.database],
      ["ALTER SYSTEM SET log_statement = 'none';", MIGRATION_RULES.database],
      ['ALTER DATABASE app RENAME TO other;', MIGRATION_RULES.database],
      ['ALTER ROLE ydtb_app RENAME TO other;', MIGRATION_RULES.database],
      ['DROP DATABASE other;', MIGRATION_RULES.database],
      ['DROP OWNED BY ydtb_app;', MIGRATION_RULES.database],
      ['REASSIGN OWNED BY postgres TO ydtb_app;', MIGRATION_RULES.database],
      ['CREATE EVENT TRIGGER mirror ON ddl_command_end EXECUTE FUNCTION ydtb_alpha_f();', MIGRATION_RULES.database],
      ['ALTER EVENT TRIGGER ydtb_schema_epoch_ddl DISABLE;', MIGRATION_RULES.database],
      ['DROP EVENT TRIGGER ydtb_schema_epoch_ddl;', MIGRATION_RULES.database],
      ['ALTER TABLE ydtb_alpha_items OWNER TO ydtb_app;', MIGRATION_RULES.role],
      ['ALTER FUNCTION ydtb_alpha_f() OWNER TO postgres;', MIGRATION_RULES.role],
      ["CREATE FUNCTION ydtb_alpha_f() RETURNS int LANGUAGE sql SET role = 'postgres' AS 'SELECT 1';", MIGRATION_RULES.role],
      ['ALTER FUNCTION ydtb_alpha_f() SET ROLE postgres;', MIGRATION_RULES.role],
      ["ALTER FUNCTION ydtb_alpha_f() SET ydtb.workspace_id = 'ws_b';", MIGRATION_RULES.session],
    ])('should refuse %s', async (statement, rule) => {
      const findings = await lint(`${create}\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule, severity: 'error', line: 2 })]);
      expect(findings[0]!.hint).toMatch(/^Remove/);
    });

    it.each([
      "SELECT set_config(name, 'x', false) FROM ydtb_alpha_settings;",
      "CREATE FUNCTION ydtb_alpha_set(text, text) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT set_config($1, $2, false); END;",
    ])('should refuse set_config given a name computed at run time (%s): it could be any setting', async (statement) => {
      const findings = await lint(`${create}\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.session, severity: 'error', line: 2 })]);
      expect(findings[0]!.message).toContain('with a setting name computed when it runs');
    });

    it('should read set_config called with named arguments', async () => {
      const findings = await lint(`SELECT set_config(new_value => 'postgres', setting_name => 'role', is_local => false);`);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.role, line: 1 })]);
    });

    it('should leave ordinary settings, set_config of them and a function fixing its own search_path alone', async () => {
      const sql = [
        create,
        "SELECT set_config('lock_timeout', '5s', true);",
        "CREATE FUNCTION ydtb_alpha_n() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$ SELECT count(*) FROM ydtb_alpha_items $$;",
        'ALTER FUNCTION ydtb_alpha_n() RESET ALL;',
      ].join('\n');

      expect(await lint(sql)).toEqual([]);
    });
  });

  describe('when the words only appear in strings, comments or dollar quotes', () => {
    it('should not flag them', async () => {
      const sql = [
        `-- COMMIT; SET ROLE admin;`,
        `/* BEGIN; /* nested */ ROLLBACK; */`,
        `COMMENT ON TABLE ydtb_alpha_items IS 'COMMIT; SET ROLE x; set_config(''role'', ''x'', false)';`,
        `CREATE FUNCTION ydtb_alpha_f() RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RAISE NOTICE 'RESET ROLE; COMMIT'; RETURN 'SET ROLE x'; END $fn$;`,
        `CREATE TABLE "COMMIT" ("ROLLBACK" text);`,
      ].join('\n');

      expect(await lint(sql)).toEqual([]);
    });
  });

  describe('when the SQL does not parse', () => {
    it('should report a syntax error with its line', async () => {
      const findings = await lint(`${create}\n\nCREATE TABLE ydtb_alpha_x (id text,);`);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.syntax, line: 3 })]);
      expect(findings[0]!.message).toContain('syntax error at or near ")"');
    });
  });

  describe('when the migrations are the ones generated by drizzle-kit', () => {
    it('should find nothing', async () => {
      const sql = `CREATE TABLE "ydtb_alpha_items" (\n\t"id" text PRIMARY KEY NOT NULL\n);\n--> statement-breakpoint\nCREATE INDEX "i" ON "ydtb_alpha_items" USING btree ("id");`;

      expect(await lint(sql)).toEqual([]);
    });
  });
});
