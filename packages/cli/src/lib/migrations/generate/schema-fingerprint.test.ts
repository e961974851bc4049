import { generateDrizzleJson } from 'drizzle-kit/api';
import { customType, text } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { fingerprintSchema, type Variation } from './fixtures/fingerprint-schemas.ts';
import { schemaFingerprint } from './schema-fingerprint.ts';

/** drizzle-kit's snapshot of a schema, without its random id. */
function snapshotOf(schema: Record<string, unknown>): string {
  const { id: _id, prevId: _prevId, ...snapshot } = generateDrizzleJson(schema);
  return JSON.stringify(snapshot);
}

const CHANGES: readonly [string, Variation][] = [
  ['a column type', { titleType: 'varchar200' }],
  ['a varchar length', { titleType: 'varchar300' }],
  ['nullability', { titleNullable: true }],
  ['a value default', { bodyDefault: 'x' }],
  ['an SQL default', { createdDefault: 'clock_timestamp()' }],
  ['a jsonb default', { settingsDefault: { a: 2 } }],
  ['an added column', { extraColumn: true }],
  ["an index's WHERE", { indexWhere: 'position > 0' }],
  ['an added unique constraint', { uniqueTitle: true }],
  ['a check expression', { checkBound: 2000 }],
  ['an enum value', { statusValues: ['open', 'closed', 'archived'] }],
  ["a foreign key's ON DELETE", { onDelete: 'restrict' }],
  ["a foreign key's target", { ownerTarget: 'users' }],
  ["a generated column's expression, through a value its function captures", { searchSuffix: '!' }],
  ["an identity's start", { identityStart: 100 }],
  ['a table name', { tableName: 'fp_things' }],
  ["an array's element type", { tagsType: 'integer' }],
  ["a view's query", { viewFilter: 'false' }],
  ["a sequence's start", { sequenceStart: 5 }],
];

const SAME: readonly [string, Variation][] = [
  ['the export names', { exportPrefix: 'x_' }],
  ['the export order', { reversed: true }],
  ['a runtime default ($defaultFn)', { runtimeId: () => 'b' }],
  ['a relations export', { withRelations: true }],
];

describe('schemaFingerprint', () => {
  const base = fingerprintSchema();

  describe('when the same schema is built twice', () => {
    it('should give the same fingerprint', () => {
      expect(schemaFingerprint(fingerprintSchema())).toMatch(/^[0-9a-f]{64}$/);
      expect(schemaFingerprint(fingerprintSchema())).toBe(schemaFingerprint(base));
    });
  });

  describe.each(CHANGES)('when %s changes', (_what, variation) => {
    it("should change, as drizzle-kit's snapshot does", () => {
      const changed = fingerprintSchema(variation);

      expect(snapshotOf(changed)).not.toBe(snapshotOf(base));
      expect(schemaFingerprint(changed)).not.toBe(schemaFingerprint(base));
    });
  });

  describe.each(SAME)('when only %s change', (_what, variation) => {
    it("should stay the same, as drizzle-kit's snapshot does", () => {
      const changed = fingerprintSchema(variation);

      expect(snapshotOf(changed)).toBe(snapshotOf(base));
      expect(schemaFingerprint(changed)).toBe(schemaFingerprint(base));
    });
  });

  describe('when any two versions have the same fingerprint', () => {
    it('should be because drizzle-kit sees the same schema', () => {
      const versions = [{}, ...CHANGES.map(([, v]) => v), ...SAME.map(([, v]) => v)].map((v) => fingerprintSchema(v));
      for (const a of versions) {
        for (const b of versions) {
          if (schemaFingerprint(a) === schemaFingerprint(b)) expect(snapshotOf(a)).toBe(snapshotOf(b));
        }
      }
    });
  });

  describe('when the schema holds something it cannot read as plain data', () => {
    it('should give no fingerprint, so drizzle-kit is asked', () => {
      const withMap = ydtbTable('fp_mapped', {
        workspaceId: text('workspace_id')
          .notNull()
          .references(() => workspaces.id),
        payload: text('payload').default(new Map() as never),
      });
      const point = customType<{ data: string }>({ dataType: () => 'point' });
      const withCustom = ydtbTable('fp_custom', {
        workspaceId: text('workspace_id')
          .notNull()
          .references(() => workspaces.id),
        at: point('at'),
      });

      expect(schemaFingerprint({ withMap })).toBeUndefined();
      // A custom type is read through its SQL type: that one is plain data.
      expect(schemaFingerprint({ withCustom })).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
