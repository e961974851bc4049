import type { DatabaseRegistryConfig, NameOwners, RegisteredPackage } from '../../types/database-registry';
import { schemaNames } from './schema-names';

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
    for (const table of pkg.tables) this.tables.set(table.config.name, packageName);
    for (const { name, namespace } of schemaNames(pkg, this.config)) {
      (namespace === 'relation' ? this.relations : this.types).set(name, packageName);
    }
  }
}
