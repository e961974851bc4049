import type { RegisteredPackage } from '../../types/database-registry.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { packageRole } from './package-role.ts';

/** What the pipeline needs to know of the packages' roles beyond the plan. */
export interface PackageRoles {
  /** Core's package name: core's migrations are the platform's and run as the migrator. */
  readonly corePackage: string;
  /** The role of a package, or undefined for core. */
  roleOf(packageName: string): string | undefined;
  /** The tables a package's foreign keys may reference: core's and its declared dependencies'. */
  referenceable(packageName: string): readonly string[];
}

export function packageRoles(registry: DatabaseRegistry): PackageRoles {
  const corePackage = registry.core.registration.packageName;
  const names = (pkg: RegisteredPackage | undefined) => pkg?.tables.map((t) => t.config.name) ?? [];
  return {
    corePackage,
    roleOf: (packageName) => (packageName === corePackage ? undefined : packageRole(packageName)),
    referenceable: (packageName) => [
      ...names(registry.core),
      ...(registry.get(packageName)?.registration.dependencies ?? []).flatMap((dependency) => names(registry.get(dependency))),
    ],
  };
}
