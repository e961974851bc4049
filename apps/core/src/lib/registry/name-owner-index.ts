import type { DatabaseRegistryConfig, NameOwners, RegisteredPackage } from '../../types/database-registry.ts';
import { schemaNames } from './schema-names.ts';

/**
 * Which package holds each table name, and each name of the relation and type namespaces, grown
 * as packages are accepted: each package is indexed once, so validating N packages stays linear in N.
 */
export class NameOwnerIndex implements NameOwners {
  readonly tables = new Map<string, string>();
  readonly relations = new Map<string, string>();
  readonly types = new Map<string, string>();

  constructor(private readonly config: DatabaseRegistryConfig) {}

  /** An index of packages registered elsewhere (a test's hand-made registry, say). */
  static of(registered: ReadonlyMap<string, RegisteredPackage>, config: DatabaseRegistryConfig): NameOwnerIndex {
    const index = new NameOwnerIndex(config);
    for (const [packageName, pkg] of registered) index.add(packageName, pkg);
    return index;
  }

  add(packageName: string, pkg: RegisteredPackage): void {
    this.claim(packageName, pkg, true);
  }

  /**
   * Indexes the names of a package that was rejected, keeping every name someone already holds:
   * the packages checked after it are still told when they take one of its names (two packages
   * declaring an enum type "status" both hear of it), without disowning an accepted package.
   */
  addRejected(packageName: string, pkg: RegisteredPackage): void {
    this.claim(packageName, pkg, false);
  }

  private claim(packageName: string, pkg: RegisteredPackage, overwrite: boolean): void {
    const set = (map: Map<string, string>, name: string) => (overwrite || !map.has(name)) && map.set(name, packageName);
    for (const table of pkg.tables) set(this.tables, table.config.name);
    for (const { name, namespace } of schemaNames(pkg, this.config)) set(namespace === 'relation' ? this.relations : this.types, name);
  }
}
