import type { RegisteredPackage } from '../../types/database-registry.ts';
import { DependencyError } from './dependency-error.ts';

/**
 * Orders packages so each comes after the packages it depends on (core, which goes first,
 * is implied). Ties keep registration order, so the order is stable run to run.
 * Throws DependencyError with the missing name or the cycle's path.
 */
export function orderPackages(packages: readonly RegisteredPackage[], coreName: string): RegisteredPackage[] {
  const byName = new Map(packages.map((p) => [p.registration.packageName, p]));
  const ordered: RegisteredPackage[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];

  const visit = (pkg: RegisteredPackage): void => {
    const name = pkg.registration.packageName;
    if (done.has(name)) return;
    const cycleStart = visiting.indexOf(name);
    if (cycleStart >= 0) throw new DependencyError({ kind: 'cycle', path: [...visiting.slice(cycleStart), name] });
    visiting.push(name);
    for (const dependency of pkg.registration.dependencies ?? []) {
      if (dependency === coreName) continue;
      const target = byName.get(dependency);
      if (!target) throw new DependencyError({ kind: 'missing', packageName: name, missing: dependency });
      visit(target);
    }
    visiting.pop();
    done.add(name);
    ordered.push(pkg);
  };

  packages.forEach(visit);
  return ordered;
}
