import { goodTable, registrationOf } from '../test-tables.ts';
import { runRule } from '../rule-harness.ts';
import { SemverRule } from './semver.ts';

describe('SemverRule', () => {
  const rule = new SemverRule();

  describe('when the version is strict semver', () => {
    it.each(['0.0.1', '1.2.3', '10.20.30', '1.0.0-alpha.1', '2.0.0+build.7'])('should accept %s', (version) => {
      expect(runRule(rule, registrationOf({ goodTable }, { version }))).toEqual([]);
    });
  });

  describe('when the version is not', () => {
    it.each(['v1.0.0', '1.0', '^1.2.3', '1.2.3.4', '', ' 1.2.3', 'latest', '01.2.3'])('should reject %j', (version) => {
      const [violation] = runRule(rule, registrationOf({ goodTable }, { version }));

      expect(violation).toMatchObject({ rule: 'ydtb/semver', packageName: '@test/demo' });
      expect(violation?.message).toContain(JSON.stringify(version));
    });
  });
});
