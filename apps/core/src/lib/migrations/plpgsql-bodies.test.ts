import { describe, expect, it } from '@jest/globals';
import { lintMigrations, MIGRATION_RULES } from './migration-lint.ts';

const lint = (sql: string) => lintMigrations([{ packageName: '@test/alpha', migrations: [{ id: '0002_attack', sql }] }]);
const create = 'CREATE TABLE ydtb_alpha_items (id text PRIMARY KEY);';

describe('the migration lint reading DO blocks, functions and procedures', () => {
  describe('when a body takes the migrator role back, changes the session or controls the transaction', () => {
    it.each([
      ['RESET ROLE in a DO block', 'DO $$ BEGIN RESET ROLE; END $$;', MIGRATION_RULES.role],
      ['RESET ROLE run by EXECUTE', "DO $$ BEGIN EXECUTE 'RESET ROLE'; END $$;", MIGRATION_RULES.role],
      ['a literal EXECUTE spelled with escapes', "DO $$ BEGIN EXECUTE E'RESET \\x52OLE'; END $$;", MIGRATION_RULES.role],
      ['set_config spelled with Unicode escapes in a body', 'DO $$ BEGIN PERFORM U&"set\\005fconfig"(\'role\', \'postgres\', false); END $$;', MIGRATION_RULES.role],
      ['a literal EXECUTE built of constants', "DO $$ BEGIN EXECUTE 'RESET ' || 'ROLE'; END $$;", MIGRATION_RULES.role],
      ['SET SESSION AUTHORIZATION in a DO block', 'DO $$ BEGIN SET SESSION AUTHORIZATION postgres; END $$;', MIGRATION_RULES.role],
      ["set_config('role') by PERFORM", "DO $$ BEGIN PERFORM set_config('role', 'postgres', false); END $$;", MIGRATION_RULES.role],
      ["set_config('role') in an assignment", "DO $$ DECLARE r text; BEGIN r := pg_catalog.set_config('role', 'postgres', false); END $$;", MIGRATION_RULES.role],
      ["set_config('role') in a condition", "DO $$ BEGIN IF set_config('role', 'postgres', false) <> '' THEN NULL; END IF; END $$;", MIGRATION_RULES.role],
      ["set_config('ydtb.workspace_id') in a declaration", "DO $$ DECLARE w text := set_config('ydtb.workspace_id', 'ws_b', false); BEGIN NULL; END $$;", MIGRATION_RULES.session],
      ['SET search_path in a DO block', 'DO $$ BEGIN SET search_path = other; END $$;', MIGRATION_RULES.session],
      ['RESET ALL in a DO block', 'DO $$ BEGIN RESET ALL; END $$;', MIGRATION_RULES.session],
      ['COMMIT in a DO block', 'DO $$ BEGIN COMMIT; END $$;', MIGRATION_RULES.transaction],
      ['ROLLBACK AND CHAIN in a DO block', 'DO $$ BEGIN ROLLBACK AND CHAIN; END $$;', MIGRATION_RULES.transaction],
      ['COMMIT run by EXECUTE', "DO $$ BEGIN EXECUTE 'COMMIT'; END $$;", MIGRATION_RULES.transaction],
      ['ALTER DATABASE run by EXECUTE', "DO $$ BEGIN EXECUTE 'ALTER DATABASE app SET ydtb.workspace_id = ''ws_b'''; END $$;", MIGRATION_RULES.database],
      ['GRANT of a role run by EXECUTE', "DO $$ BEGIN EXECUTE 'GRANT postgres TO ydtb_app'; END $$;", MIGRATION_RULES.database],
      ['CREATE SCHEMA in a DO block', 'DO $$ BEGIN CREATE SCHEMA s; END $$;', MIGRATION_RULES.database],
      ['a DO block run by EXECUTE in a DO block', "DO $$ BEGIN EXECUTE 'DO $x$ BEGIN RESET ROLE; END $x$'; END $$;", MIGRATION_RULES.role],
      ['a function that sets the role, made in a DO block', "DO $$ BEGIN CREATE FUNCTION ydtb_alpha_f() RETURNS void LANGUAGE sql AS 'SET ROLE postgres'; END $$;", MIGRATION_RULES.role],
      ['SET ROLE in a plpgsql function', 'CREATE FUNCTION ydtb_alpha_f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN SET ROLE postgres; END $fn$;', MIGRATION_RULES.role],
      ['SET ROLE in a sql function', "CREATE OR REPLACE FUNCTION ydtb_alpha_f() RETURNS void LANGUAGE sql AS 'SET ROLE postgres';", MIGRATION_RULES.role],
      ["set_config('role') in a BEGIN ATOMIC function", "CREATE FUNCTION ydtb_alpha_f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT set_config('role', 'postgres', false); END;", MIGRATION_RULES.role],
      ['COMMIT in a procedure', 'CREATE PROCEDURE ydtb_alpha_p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;', MIGRATION_RULES.transaction],
      ['a sql function wrapping set_config', "CREATE FUNCTION ydtb_alpha_set(text, text) RETURNS text LANGUAGE sql AS $$ SELECT set_config($1, $2, false) $$;", MIGRATION_RULES.session],
      ['a plpgsql function wrapping set_config', 'CREATE FUNCTION ydtb_alpha_set(n text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config(n, \'x\', false); END $$;', MIGRATION_RULES.session],
      ["set_config('search_path') in a trigger function", "CREATE FUNCTION ydtb_alpha_t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('search_path', 's', false); RETURN NEW; END $$;", MIGRATION_RULES.session],
    ])('should refuse %s', async (_, statement, rule) => {
      const findings = await lint(`${create}\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule, severity: 'error', packageName: '@test/alpha', migration: '0002_attack', line: 2 })]);
      expect(findings[0]!.message).toMatch(/^(Inside|In the string EXECUTE runs inside) the (DO block|function|procedure)/);
      expect(findings[0]!.hint).toMatch(/^Remove/);
    });

    it('should refuse a plpgsql function that runs SET ROLE, on the line of the SET ROLE, and not the SELECT that calls it', async () => {
      const sql = [
        create,
        'CREATE FUNCTION ydtb_alpha_f() RETURNS void LANGUAGE plpgsql AS',
        '$fn$',
        'BEGIN',
        '  SET ROLE postgres;',
        'END',
        '$fn$;',
        'SELECT ydtb_alpha_f();',
      ].join('\n');

      const findings = await lint(sql);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.role, line: 5 })]);
      expect(findings[0]!.message).toContain('Inside the function ydtb_alpha_f: "SET ROLE postgres" changes the role the migrator runs as');
    });

    it('should find each statement on its own line in a long DO block', async () => {
      const sql = ['DO $$', 'DECLARE', '  n int;', 'BEGIN', '  n := 1;', "  EXECUTE 'SET ROLE postgres';", '  COMMIT;', 'END $$;'].join('\n');

      expect((await lint(sql)).map((f) => [f.rule, f.line])).toEqual([
        [MIGRATION_RULES.role, 6],
        [MIGRATION_RULES.transaction, 7],
      ]);
    });
  });

  describe('when a body runs a string the lint cannot read', () => {
    it.each([
      ['EXECUTE of a string built at run time', "DO $$ DECLARE s text := 'ROLE'; BEGIN EXECUTE 'RESET ' || s; END $$;", 'EXECUTE in the DO block runs a string built when it runs'],
      ['EXECUTE format()', "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET ydtb.workspace_id = %L', current_database(), 'b'); END $$;", 'EXECUTE in the DO block'],
      ['FOR … IN EXECUTE', "DO $$ DECLARE r record; q text := 'SELECT 1'; BEGIN FOR r IN EXECUTE q LOOP NULL; END LOOP; END $$;", 'FOR … IN EXECUTE in the DO block'],
      ['RETURN QUERY EXECUTE', 'CREATE FUNCTION ydtb_alpha_f(q text) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY EXECUTE q; END $$;', 'RETURN QUERY EXECUTE in the function ydtb_alpha_f'],
      ['a body in another language', 'DO LANGUAGE plv8 $$ plv8.execute("RESET ROLE") $$;', 'The DO block is written in plv8'],
    ])('should warn of %s, naming the limit, and not block', async (_, statement, message) => {
      const findings = await lint(`${create}\n${statement}`);

      expect(findings).toEqual([expect.objectContaining({ rule: MIGRATION_RULES.dynamicSql, severity: 'warning', line: 2 })]);
      expect(findings[0]!.message).toContain(message);
      expect(findings[0]!.message).toContain('on PGlite (one superuser) nothing else stops them');
    });
  });

  describe('when a body does only what packages do', () => {
    it.each([
      ['the DO block drizzle-kit writes for an enum', `DO $$ BEGIN\n CREATE TYPE "public"."ydtb_alpha_state" AS ENUM('open', 'closed');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`],
      [
        'the DO block drizzle-kit writes for a foreign key',
        `DO $$ BEGIN\n ALTER TABLE "ydtb_alpha_notes" ADD CONSTRAINT "ydtb_alpha_notes_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ydtb_alpha_items"("id") ON DELETE cascade ON UPDATE no action;\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
      ],
      ['a trigger function', 'CREATE FUNCTION ydtb_alpha_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;'],
      ['a function with a SET LOCAL of an ordinary setting', "CREATE FUNCTION ydtb_alpha_slow() RETURNS void LANGUAGE plpgsql AS $$ BEGIN SET LOCAL lock_timeout = '5s'; PERFORM pg_sleep(0); END $$;"],
      ['a sql function', 'CREATE FUNCTION ydtb_alpha_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM ydtb_alpha_items $$;'],
      ['a BEGIN ATOMIC function', 'CREATE FUNCTION ydtb_alpha_one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;'],
      ['a literal EXECUTE of ordinary SQL', "DO $$ BEGIN EXECUTE 'CREATE INDEX IF NOT EXISTS ydtb_alpha_items_id_idx ON ydtb_alpha_items (id)'; END $$;"],
    ])('should accept %s', async (_, statement) => {
      expect(await lint(statement)).toEqual([]);
    });
  });
});
