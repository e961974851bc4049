import fc from 'fast-check';
import { pgTable, primaryKey, text, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { workspaces } from '@ydtb/plugin-api';
import { createContainer } from './container.ts';
import { DatabaseRegistry } from './database.ts';
import { defaultRegistryConfig } from './registry-config.ts';
import { SchemaValidationError } from './schema-validation-error.ts';
import { tableShape } from './table-shape.ts';

/*
 * Hostile input: whatever a registration is made of, `register` either accepts it or throws
 * SchemaValidationError, never anything else, and a rejected one changes nothing.
 */

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('"; DROP TABLE ydtb_workspaces; --', "o'brien", 'ydtb_x\\";--', '__proto__', 'constructor', '', ' ', '\u0000', 'ydtb_ok'),
  fc.string({ unit: fc.constantFrom('a', 'b', '_', '"', ';', "'", ' ', 'Z', '1', '-'), maxLength: 80 }),
  fc.integer({ min: 60, max: 70 }).map((n) => `ydtb_${'x'.repeat(n)}`),
);

const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'y'.repeat(n));

const packageName = fc.oneof(
  fc.constantFrom('@fuzz/a', '@fuzz/b', 'fuzz-c', '@ydtb/core', '@ydtb/basic'),
  fc.stringMatching(/^@[a-z]{1,8}\/[a-z][a-z0-9-]{0,10}$/),
  hostileText,
  hugeString,
  fc.anything(),
);

const version = fc.oneof(
  fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.constantFrom('v1.0.0', '1.0', '1.0.0-alpha+b', '01.0.0'),
  hostileText,
  fc.anything(),
);

/**
 * A real Drizzle table whose names and keys come from the fuzzer. Half the time it is shaped the
 * way the rules want (workspace_id, its foreign key, a key that leads with it), so that what
 * decides acceptance is often only whether the names are safe: accepted packages hold tables.
 */
const fuzzedTable = fc
  .record({
    name: fc.oneof({ weight: 1, arbitrary: hostileText }, { weight: 3, arbitrary: fc.stringMatching(/^ydtb_fz_[a-z0-9_]{1,20}$/) }),
    column: fc.oneof({ weight: 1, arbitrary: hostileText }, { weight: 3, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/) }),
    withWorkspace: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    key: fc.constantFrom('workspace-and-id', 'workspace-and-id', 'id'),
    unique: fc.constantFrom('none', 'none', 'with-workspace', 'alone'),
  })
  .map(({ name, column, withWorkspace, key, unique: uniqueKey }) =>
    pgTable(
      name,
      {
        id: uuid('id').notNull(),
        ...(withWorkspace ? { workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }) } : {}),
        extra: text(column),
      },
      (t) => {
        const workspaceId = (t as typeof t & { workspaceId?: AnyPgColumn }).workspaceId;
        const leading: AnyPgColumn[] = workspaceId ? [workspaceId] : [];
        const columns = (...list: AnyPgColumn[]) => list as [AnyPgColumn, ...AnyPgColumn[]];
        return [
          primaryKey({ columns: key === 'id' ? columns(t.id) : columns(...leading, t.id) }),
          ...(uniqueKey === 'none' ? [] : [unique().on(...(uniqueKey === 'alone' ? columns(t.extra) : columns(...leading, t.extra)))]),
        ];
      },
    ),
  );

function cyclic(): Record<string, unknown> {
  const node: Record<string, unknown> = { packageName: '@fuzz/cycle', version: '1.0.0' };
  node.schema = node;
  node.self = node;
  return node;
}

/** Values fast-check itself cannot hold (it inspects what it generates): built in the property. */
const HOSTILE_MAKERS: Record<string, () => unknown> = {
  revoked: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  keyless: () => new Proxy({}, { ownKeys: () => { throw new Error('no keys for you'); } }),
  trapped: () => new Proxy({ a: 1 }, { get: () => { throw new Error('trap'); } }),
  prototypeless: () => new Proxy({}, { getPrototypeOf: () => { throw new Error('no prototype'); } }),
  getter: () => Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } }),
  polluting: () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
  nullPrototype: () => Object.create(null),
  cyclic,
};
const HOSTILE = '__fuzz_hostile__';
const proxies = fc.constantFrom(...Object.keys(HOSTILE_MAKERS)).map((kind) => ({ [HOSTILE]: kind }));

/** Replaces the placeholders of `proxies` with the hostile values they stand for. */
function materialize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(materialize);
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const kind = (value as Record<string, unknown>)[HOSTILE];
  if (typeof kind === 'string' && HOSTILE_MAKERS[kind]) return HOSTILE_MAKERS[kind]!();
  const copy: Record<string, unknown> = Object.create(proto);
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, { value: materialize((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const schema = fc.oneof(
  fc.dictionary(fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor')), fuzzedTable, { maxKeys: 3 }),
  fc.dictionary(fc.string(), fc.oneof(fuzzedTable, fc.anything(), proxies), { maxKeys: 3 }),
  proxies,
  fc.anything(),
);

const registration = fc.oneof(
  { weight: 6, arbitrary: fc.record({ packageName, version, schema }, { requiredKeys: [] }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { packageName, version, schema, migrations: fc.oneof(fc.anything(), fc.array(fc.record({ id: hostileText, sql: hostileText }))), dependencies: fc.anything() },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: proxies },
  { weight: 1, arbitrary: fc.anything() },
);

function snapshotOf(registry: DatabaseRegistry): string {
  return JSON.stringify(registry.list().map((p) => [p.registration.packageName, p.registration.version, p.tables.length]));
}

describe('DatabaseRegistry.register', () => {
  describe('when fed 10,000 generated hostile registrations', () => {
    it('should either register or throw SchemaValidationError, leaving the registry unchanged on rejection', () => {
      const registry = createContainer().get(DatabaseRegistry);
      let accepted = 0;
      fc.assert(
        fc.property(registration, (input) => {
          const before = snapshotOf(registry);
          try {
            registry.register(materialize(input) as never);
            accepted += 1;
          } catch (error) {
            if (!(error instanceof SchemaValidationError)) throw error;
            expect(error.violations.length).toBeGreaterThan(0);
            expect(snapshotOf(registry)).toBe(before);
          }
        }),
        { numRuns: 10_000 },
      );
      expect(registry.list().length).toBe(accepted);
      // Some well-formed ones get through too, tables included, so acceptance is exercised as well.
      expect(accepted).toBeGreaterThan(0);
      expect(registry.list().reduce((sum, p) => sum + p.tables.length, 0)).toBeGreaterThan(0);
    });
  });

  describe('when a generated registration is accepted', () => {
    it('should only hold identifiers that are safe to put in SQL', () => {
      const registry = createContainer().get(DatabaseRegistry);
      let tablesChecked = 0;
      let identifiersChecked = 0;
      fc.assert(
        fc.property(
          fc.stringMatching(/^@fuzz\/[a-z]{1,12}$/),
          fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fuzzedTable, { maxKeys: 3 }),
          (name, tables) => {
            if (registry.has(name)) return;
            try {
              registry.register({ packageName: name, version: '1.0.0', schema: tables });
            } catch (error) {
              if (error instanceof SchemaValidationError) return;
              throw error;
            }
            for (const table of registry.get(name)!.tables) {
              tablesChecked += 1;
              for (const { name: identifier } of tableShape(table, defaultRegistryConfig).identifiers) {
                expect(identifier).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
                identifiersChecked += 1;
              }
            }
          },
        ),
        { numRuns: 2_000 },
      );
      // The property held for accepted tables, not only for empty schemas: about one run in ten
      // accepts at least one table (each has a table name, three columns and its key names).
      expect(tablesChecked).toBeGreaterThan(50);
      expect(identifiersChecked).toBeGreaterThan(4 * tablesChecked);
    });
  });
});
