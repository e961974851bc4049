import type { RegisteredPackage } from '../../types/database-registry.ts';
import { thrownBy } from '../../../../../test/thrown.ts';
import { DependencyError } from './dependency-error.ts';
import { orderPackages } from './package-order.ts';

function pkg(packageName: string, dependencies: string[] = []): RegisteredPackage {
  return { registration: { packageName, version: '1.0.0', schema: {}, dependencies }, tables: [], views: [], objects: [], warnings: [] };
}

const names = (packages: readonly RegisteredPackage[]) => packages.map((p) => p.registration.packageName);

const dependencyErrorOf = (action: () => unknown) => thrownBy(action, DependencyError);

describe('orderPackages', () => {
  describe('when packages declare dependencies', () => {
    it('should put every package after its dependencies', () => {
      const ordered = orderPackages([pkg('crm', ['basic', '@ydtb/core']), pkg('billing', ['crm']), pkg('basic')], '@ydtb/core');

      expect(names(ordered)).toEqual(['basic', 'crm', 'billing']);
    });

    it('should keep registration order between independent packages', () => {
      expect(names(orderPackages([pkg('z'), pkg('a'), pkg('m')], '@ydtb/core'))).toEqual(['z', 'a', 'm']);
    });
  });

  describe('when a dependency is missing', () => {
    it('should name the package and the missing dependency', () => {
      const error = dependencyErrorOf(() => orderPackages([pkg('crm', ['basic'])], '@ydtb/core'));

      expect(error.problem).toEqual({ kind: 'missing', packageName: 'crm', missing: 'basic' });
      expect(error.message).toContain('"crm" depends on "basic", which is not registered');
    });
  });

  describe('when dependencies form a cycle', () => {
    it('should give the path of the cycle', () => {
      const error = dependencyErrorOf(() =>
        orderPackages([pkg('a', ['b']), pkg('b', ['c']), pkg('c', ['a']), pkg('d')], '@ydtb/core'),
      );

      expect(error.problem).toEqual({ kind: 'cycle', path: ['a', 'b', 'c', 'a'] });
      expect(error.message).toContain('a -> b -> c -> a');
    });

    it('should reject a package that depends on itself', () => {
      expect(dependencyErrorOf(() => orderPackages([pkg('a', ['a'])], '@ydtb/core')).problem).toEqual({ kind: 'cycle', path: ['a', 'a'] });
    });
  });
});
