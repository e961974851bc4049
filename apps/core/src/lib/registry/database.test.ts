import { jest } from '@jest/globals';
import { ContainerModule } from 'inversify';
import { relations } from 'drizzle-orm';
import { pgEnum } from 'drizzle-orm/pg-core';
import { basicModule } from '@ydtb/basic';
import { definePackage, PACKAGE_SCHEMA, SCHEMA_RULE } from '@ydtb/plugin-api';
import type { RuleContext, SchemaRule, Violation } from '../../types/database-registry.ts';
import { thrownBy } from '../../../../../test/thrown.ts';
import { createContainer } from './container.ts';
import { DatabaseRegistry } from './database.ts';
import { EnvironmentRegistry } from '../../registry/environment.ts';
import { SchemaValidationError } from './schema-validation-error.ts';
import { PrefixRule } from './rules/table-prefix.ts';
import { SilencedRule } from './silenced-rule.ts';
import { WorkspaceFkRule } from './rules/workspace-fk.ts';
import {
  goodTable,
  itemsTable,
  noForeignKeyTable,
  noWorkspaceTable,
  registrationOf,
  unprefixedTable,
} from './test-tables.ts';

function freshRegistry(): DatabaseRegistry {
  return createContainer().get(DatabaseRegistry);
}

const rejectionOf = (action: () => unknown) => thrownBy(action, SchemaValidationError);

describe('DatabaseRegistry', () => {
  describe('when composed in the container with @ydtb/basic', () => {
    it('should register the package contribution on resolution', () => {
      const container = createContainer([basicModule]);
      const registry = container.get(DatabaseRegistry);

      expect(registry.has('@ydtb/basic')).toBe(true);
      expect(registry.get('@ydtb/basic')?.tables.map((t) => t.config.name).sort()).toEqual([
        'ydtb_basic_note_tags',
        'ydtb_basic_notes',
      ]);
    });

    it('should resolve both registries from the same container as singletons', () => {
      const container = createContainer([basicModule]);

      expect(container.get(DatabaseRegistry)).toBe(container.get(DatabaseRegistry));
      expect(container.get(EnvironmentRegistry).packages()).toEqual(['@ydtb/basic']);
    });

    it('should keep state per container', () => {
      const withBasic = createContainer([basicModule]).get(DatabaseRegistry);
      const empty = createContainer().get(DatabaseRegistry);

      expect(withBasic.list()).toHaveLength(1);
      expect(empty.list()).toHaveLength(0);
    });

    it('should expose core separately with its own tables', () => {
      const registry = freshRegistry();

      expect(registry.core.registration.packageName).toBe('@ydtb/core');
      expect(registry.core.tables.map((t) => t.config.name)).toContain('ydtb_workspaces');
    });
  });

  describe('when a registration is valid', () => {
    it('should store it and list it in registration order', () => {
      const registry = freshRegistry();
      registry.register(registrationOf({ items: itemsTable('first') }, { packageName: '@test/first' }));
      registry.register(registrationOf({ items: itemsTable('second') }, { packageName: '@test/second' }));

      expect(registry.list().map((p) => p.registration.packageName)).toEqual(['@test/first', '@test/second']);
      expect(registry.get('@test/first')?.registration.version).toBe('1.0.0');
      expect(registry.has('@test/missing')).toBe(false);
      expect(registry.get('@test/missing')).toBeUndefined();
    });

    it('should accept relations and enums beside the tables', () => {
      const registry = freshRegistry();
      const demoStatus = pgEnum('ydtb_demo_status', ['open', 'closed']);
      const goodRelations = relations(goodTable, () => ({}));

      const accepted = registry.register(registrationOf({ goodTable, demoStatus, goodRelations }));

      expect(accepted.tables).toHaveLength(1);
    });

    it('should not be affected when the caller mutates its input afterwards', () => {
      const registry = freshRegistry();
      const input = { ...registrationOf({ goodTable }), dependencies: ['@ydtb/basic'] };
      registry.register(input);
      input.dependencies.push('@ydtb/other');
      (input as { version: string }).version = '9.9.9';

      expect(registry.get('@test/demo')?.registration.version).toBe('1.0.0');
      expect(registry.get('@test/demo')?.registration.dependencies).toEqual(['@ydtb/basic']);
    });
  });

  describe('when a registration breaks several rules', () => {
    it('should throw one SchemaValidationError listing every violation', () => {
      const registry = freshRegistry();

      const error = rejectionOf(() =>
        registry.register(registrationOf({ unprefixedTable, noWorkspaceTable, noForeignKeyTable }, { version: 'v1' })),
      );

      expect(error.kind).toBe('schema-validation');
      expect(error.packageName).toBe('@test/demo');
      expect(error.errors.map((v) => [v.rule, v.table])).toEqual([
        ['ydtb/table-prefix', 'demo_items'],
        ['ydtb/workspace-fk', 'ydtb_demo_loose'],
        ['ydtb/workspace-fk', 'ydtb_demo_unlinked'],
        ['ydtb/semver', undefined],
      ]);
      expect(error.message).toContain('Package "@test/demo" was not registered: 4 errors.');
      expect(error.message).toContain('fix: ');
    });

    it('should leave the registry exactly as it was', () => {
      const registry = freshRegistry();
      registry.register(registrationOf({ items: itemsTable('kept') }, { packageName: '@test/kept' }));
      const before = registry.list();

      rejectionOf(() => registry.register(registrationOf({ unprefixedTable }, { packageName: '@test/rejected' })));

      expect(registry.list()).toEqual(before);
      expect(registry.has('@test/rejected')).toBe(false);
      expect(() => registry.register(registrationOf({ goodTable }, { packageName: '@test/rejected' }))).not.toThrow();
    });
  });

  describe('when the input has the wrong shape', () => {
    it.each([
      ['a missing schema', { packageName: '@test/demo', version: '1.0.0' }, '"schema"'],
      ['an array schema', { packageName: '@test/demo', version: '1.0.0', schema: [] }, '"schema"'],
      ['an upper-case name', { packageName: '@Test/Demo', version: '1.0.0', schema: {} }, '"packageName"'],
      ['a misspelt key', { packageName: '@test/demo', version: '1.0.0', schema: {}, dependancies: [] }, 'dependancies'],
      ['a migration without id', { packageName: '@test/demo', version: '1.0.0', schema: {}, migrations: [{ sql: 'x' }] }, 'migrations'],
    ])('should reject %s with a registration-shape violation', (_label, input, mentioned) => {
      const error = rejectionOf(() => freshRegistry().register(input as never));

      expect(error.violations[0]?.rule).toBe('ydtb/registration-shape');
      expect(error.message).toContain(mentioned);
    });

    it('should reject null without crashing', () => {
      expect(rejectionOf(() => freshRegistry().register(null as never)).packageName).toBe('<unnamed package>');
    });

    it('should reject a schema whose getters throw', () => {
      const schema = Object.defineProperty({}, 'notes', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });

      const error = rejectionOf(() => freshRegistry().register(registrationOf(schema)));

      expect(error.violations[0]).toMatchObject({ rule: 'ydtb/drizzle-schema', message: expect.stringContaining('boom') });
    });
  });

  describe('when a rule throws', () => {
    it('should report the broken rule as a violation instead of crashing', () => {
      const exploding: SchemaRule = {
        id: 'test/explodes',
        severity: 'error',
        description: 'always throws',
        check: () => {
          throw new Error('kaboom');
        },
      };
      const container = createContainer([
        new ContainerModule(({ bind }) => {
          bind(SCHEMA_RULE).toConstantValue(exploding);
        }),
      ]);

      const error = rejectionOf(() => container.get(DatabaseRegistry).register(registrationOf({ goodTable })));

      expect(error.violations).toEqual([expect.objectContaining({ rule: 'test/explodes', message: expect.stringContaining('kaboom') })]);
      expect(error.message).toContain('Rule "test/explodes" could not check this package: kaboom.');
    });
  });

  describe('when a test swaps rule bindings', () => {
    it('should use a replacement bound with rebind and keep the other rules', () => {
      class LenientPrefixRule implements SchemaRule {
        readonly id = PrefixRule.id;
        readonly severity = 'error' as const;
        readonly description = 'accepts any table name';
        check(): Violation[] {
          return [];
        }
      }
      const container = createContainer();
      container.rebind(PrefixRule).to(LenientPrefixRule as never);
      const registry = container.get(DatabaseRegistry);

      expect(() => registry.register(registrationOf({ unprefixedTable }))).not.toThrow();
      const error = rejectionOf(() => registry.register(registrationOf({ noWorkspaceTable }, { packageName: '@test/other' })));
      expect(error.violations.map((v) => v.rule)).toEqual(['ydtb/workspace-fk']);
    });

    it('should drop a rule replaced by a SilencedRule with a reason', () => {
      const container = createContainer();
      container.rebind(WorkspaceFkRule).toConstantValue(new SilencedRule(WorkspaceFkRule.id, 'legacy table') as never);
      const registry = container.get(DatabaseRegistry);

      expect(() => registry.register(registrationOf({ noWorkspaceTable }))).not.toThrow();
      expect(() => registry.register(registrationOf({ unprefixedTable }, { packageName: '@test/other' }))).toThrow(
        SchemaValidationError,
      );
    });

    it('should run a custom rule added by a ContainerModule after the core rules', () => {
      const check = jest.fn((context: RuleContext): Violation[] =>
        context.tables
          .filter((t) => t.config.columns.length < 3)
          .map((t) => ({
            rule: 'acme/min-columns',
            severity: 'error',
            packageName: context.registration.packageName,
            table: t.config.name,
            message: `Table "${t.config.name}" has fewer than 3 columns.`,
          })),
      );
      const acmeRules = new ContainerModule(({ bind }) => {
        bind(SCHEMA_RULE).toConstantValue({ id: 'acme/min-columns', severity: 'error', description: 'wide tables', check });
      });
      const registry = createContainer([acmeRules]).get(DatabaseRegistry);

      const error = rejectionOf(() => registry.register(registrationOf({ goodTable })));

      expect(check).toHaveBeenCalledTimes(1);
      expect(error.violations).toEqual([expect.objectContaining({ rule: 'acme/min-columns', table: 'ydtb_demo_items' })]);
    });
  });

  describe('when two modules contribute the same package name', () => {
    it('should refuse the second one while the container resolves', () => {
      const duplicate = definePackage({ database: registrationOf({ goodTable }, { packageName: '@ydtb/basic' }) });
      const container = createContainer([basicModule, duplicate]);

      expect(() => container.get(DatabaseRegistry)).toThrow(/Package "@ydtb\/basic" is already registered/);
    });

    it('should refuse a package named like core', () => {
      const error = rejectionOf(() => freshRegistry().register(registrationOf({ items: itemsTable('core') }, { packageName: '@ydtb/core' })));

      expect(error.violations.map((v) => v.rule)).toEqual(['ydtb/unique-name']);
    });
  });

  describe('when contributions are bound directly', () => {
    it('should collect every PACKAGE_SCHEMA binding', () => {
      const container = createContainer([
        new ContainerModule(({ bind }) => {
          bind(PACKAGE_SCHEMA).toConstantValue(registrationOf({ items: itemsTable('a') }, { packageName: '@test/a' }));
          bind(PACKAGE_SCHEMA).toConstantValue(registrationOf({ items: itemsTable('b') }, { packageName: '@test/b' }));
        }),
      ]);

      expect(container.get(DatabaseRegistry).list()).toHaveLength(2);
    });
  });
});
