import { describe, expect, it } from '@jest/globals';
import { baselineDifferences, normaliseType } from './baseline-differences.ts';
import { ALPHA_AS_OF_INIT } from './baseline-fixtures.ts';
import type { LiveTable } from './live-tables.ts';

const live = (columns: [string, string, boolean][], primaryKey = ['workspace_id', 'id'], foreignKeys = ['(workspace_id) -> ydtb_workspaces(id)']): Map<string, LiveTable> =>
  new Map([['ydtb_alpha_items', { columns: new Map(columns.map(([name, type, notNull]) => [name, { type, notNull }])), primaryKey, foreignKeys }]]);

describe('normaliseType', () => {
  describe('when drizzle-kit and PostgreSQL spell the same type differently', () => {
    it('should read them as one type', () => {
      expect(normaliseType('serial')).toBe(normaliseType('integer'));
      expect(normaliseType('bigserial')).toBe(normaliseType('bigint'));
      expect(normaliseType('varchar(255)')).toBe(normaliseType('character varying(255)'));
      expect(normaliseType('numeric(10, 2)')).toBe(normaliseType('numeric(10,2)'));
      expect(normaliseType('timestamp (3) with time zone')).toBe('timestamp(3) with time zone');
      expect(normaliseType('timestamp(3) with time zone')).toBe('timestamp(3) with time zone');
      expect(normaliseType('timestamp (3)')).toBe('timestamp(3) without time zone');
      expect(normaliseType('timestamp')).toBe(normaliseType('timestamp without time zone'));
      expect(normaliseType('text[]')).toBe('text[]');
      expect(normaliseType('varchar(255)[]')).toBe('character varying(255)[]');
      expect(normaliseType('integer[3]')).toBe('integer[]');
    });
  });

  describe('when the types differ', () => {
    it('should keep them apart', () => {
      expect(normaliseType('varchar(20)')).not.toBe(normaliseType('character varying(255)'));
      expect(normaliseType('text')).not.toBe(normaliseType('text[]'));
      expect(normaliseType('timestamp')).not.toBe(normaliseType('timestamp with time zone'));
    });
  });
});

describe('baselineDifferences', () => {
  describe('when the live table matches the snapshot', () => {
    it('should find nothing', () => {
      expect(baselineDifferences(ALPHA_AS_OF_INIT, live([['id', 'text', true], ['workspace_id', 'text', true]]))).toEqual([]);
    });
  });

  describe('when columns, nullability and keys differ', () => {
    it('should list each difference in one sentence', () => {
      const found = baselineDifferences(ALPHA_AS_OF_INIT, live([['id', 'text', false], ['workspace_id', 'text', true], ['extra', 'integer', false]], ['id'], []));

      expect(found).toEqual([
        'Column "ydtb_alpha_items.extra" exists but the schema does not declare it.',
        'Column "ydtb_alpha_items.id" is nullable, expected NOT NULL.',
        'Table "ydtb_alpha_items" has primary key (id), expected (workspace_id, id).',
        'Table "ydtb_alpha_items" lacks the foreign key (workspace_id) -> ydtb_workspaces(id).',
      ]);
    });
  });
});
