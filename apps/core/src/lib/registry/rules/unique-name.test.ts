import { goodTable, registrationOf } from '../test-tables.ts';
import { runRule } from '../rule-harness.ts';
import { UniqueNameRule } from './unique-name.ts';
import type { RegisteredPackage } from '../../../types/database-registry.ts';

describe('UniqueNameRule', () => {
  const rule = new UniqueNameRule();
  const existing: RegisteredPackage = { registration: registrationOf({}, { version: '0.3.0' }), tables: [], views: [], objects: [], warnings: [] };

  describe('when the name is free', () => {
    it('should report nothing', () => {
      expect(runRule(rule, registrationOf({ goodTable }), new Map([['@test/other', existing]]))).toEqual([]);
    });
  });

  describe('when the name is taken', () => {
    it('should say which version holds it', () => {
      const violations = runRule(rule, registrationOf({ goodTable }), new Map([['@test/demo', existing]]));

      expect(violations.map((v) => v.message)).toEqual(['Package "@test/demo" is already registered (version 0.3.0).']);
    });
  });

  describe('when another name maps to the same database role', () => {
    it('should name the other package and the role', () => {
      const violations = runRule(rule, registrationOf({ goodTable }, { packageName: '@Test/Demo' }), new Map([['@test/demo', existing]]));

      expect(violations.map((v) => v.message)).toEqual([
        'Package "@Test/Demo" would own its tables through the database role ydtb_pkg_test_demo, which "@test/demo" already has: names that differ only in punctuation or case map to one role.',
      ]);
    });
  });
});
