import { describe, expect, it } from '@jest/globals';
import { tableChangingStatements } from './table-changes.ts';

describe('tableChangingStatements', () => {
  it('should find nothing in SQL that only adds functions, triggers, comments or rows', async () => {
    const sql = [
      'CREATE OR REPLACE FUNCTION ydtb_a_f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE x (); RETURN NEW; END $$;',
      'CREATE TRIGGER t BEFORE UPDATE ON ydtb_a_items FOR EACH ROW EXECUTE FUNCTION ydtb_a_f();',
      'ALTER TABLE ydtb_a_items DISABLE TRIGGER t;',
      "COMMENT ON TABLE ydtb_a_items IS 'items';",
      "UPDATE ydtb_a_items SET label = 'x' WHERE label IS NULL;",
      'DROP TRIGGER IF EXISTS old ON ydtb_a_items;',
      'DROP FUNCTION IF EXISTS ydtb_a_old();',
    ].join('\n');

    expect(await tableChangingStatements(sql)).toEqual([]);
  });

  it.each([
    ['a new column', 'ALTER TABLE ydtb_a_items ADD COLUMN note text;', 'ALTER TABLE ydtb_a_items ADD COLUMN note text'],
    ['an index', 'CREATE INDEX ydtb_a_i ON ydtb_a_items (label);', 'CREATE INDEX ydtb_a_i ON ydtb_a_items (label)'],
    ['a DO block, whose body cannot be told', "DO $$ BEGIN EXECUTE 'CREATE TABLE ydtb_a_x ()'; END $$;", "DO $$ BEGIN EXECUTE 'CREATE TABLE ydtb_a_x ()'; END $$"],
    ['a dropped view', 'DROP VIEW ydtb_a_v;', 'DROP VIEW ydtb_a_v'],
  ])('should name %s with its line', async (_what, statement, shown) => {
    expect(await tableChangingStatements(`-- header\nCREATE FUNCTION ydtb_a_g() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\n${statement}`)).toEqual([{ line: 4, shown }]);
  });
});
