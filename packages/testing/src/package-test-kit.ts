import type { Container, ContainerModule } from 'inversify';
import {
  createContainer,
  DatabaseRegistry,
  migrateDatabase,
  REGISTRY_CONFIG,
  tablesToSecure,
  withWorkspace,
  type MigrateResult,
  type RegisteredPackage,
} from '@ydtb/core';
import { createEphemeralDatabase, type EphemeralDatabase, type TestDb } from './ephemeral-database.ts';
import { IsolationAssertionError } from './isolation-assertion-error.ts';
import { checkTable, WORKSPACE_A, WORKSPACE_B, type TableIsolation } from './isolation-check.ts';
import { registrationOf } from './package-under-test.ts';
import { applyRuleOverrides, type ReplacedRules, type SilencedRules } from './rule-overrides.ts';

export interface PackageTestKitOptions {
  /** Modules of the packages the package under test lists in `dependencies`. */
  readonly dependencies?: readonly ContainerModule[];
  /** Rules to turn off, each with the reason: `{ 'ydtb/workspace-index': 'tiny lookup table' }`. */
  readonly silence?: SilencedRules;
  /** Rules to run differently: `{ 'ydtb/table-prefix': MyPrefixRule }`. */
  readonly replace?: ReplacedRules;
}

/** Writes one row (or more) into every table of the package for `workspaceId`. */
export type Seed = (tx: Parameters<Parameters<TestDb['transaction']>[0]>[0], workspaceId: string) => Promise<void>;

export interface IsolationReport {
  readonly packageName: string;
  readonly tables: readonly TableIsolation[];
}

/**
 * Everything a package author's test needs: a host container with only their package and its
 * dependencies (rules swappable), an ephemeral migrated PGlite, and a one-call isolation check.
 */
export class PackageTestKit {
  readonly container: Container;
  readonly packageName: string;

  constructor(module: ContainerModule, { dependencies = [], silence = {}, replace = {} }: PackageTestKitOptions = {}) {
    const registration = registrationOf(module);
    this.packageName = registration.packageName;
    const provided = new Set(dependencies.map((m) => registrationOf(m).packageName));
    const missing = (registration.dependencies ?? []).filter((name) => !provided.has(name));
    if (missing.length) {
      throw new Error(`${this.packageName} depends on ${missing.join(', ')}: pass ${missing.length === 1 ? 'its module' : 'their modules'} in the kit's "dependencies".`);
    }
    this.container = createContainer([...dependencies, module]);
    applyRuleOverrides(this.container, silence, replace);
  }

  /** Resolving validates every package: a broken schema throws SchemaValidationError here. */
  get registry(): DatabaseRegistry {
    return this.container.get(DatabaseRegistry);
  }

  get package(): RegisteredPackage {
    return this.registry.get(this.packageName)!;
  }

  /**
   * Migrates core, the dependencies and the package into a fresh in-memory PGlite and checks the
   * result against the registry: a table the migrations do not create fails here.
   */
  async migrate(): Promise<EphemeralDatabase & { readonly result: MigrateResult }> {
    const registry = this.registry;
    const database = await createEphemeralDatabase();
    try {
      const result = await migrateDatabase(database.client, registry, this.container.get(REGISTRY_CONFIG));
      if (result.drift.length) {
        throw new Error(`After migrating, the database does not match the schema:\n${result.drift.map((d) => `  - ${d.message}`).join('\n')}`);
      }
      return { ...database, result };
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  /**
   * Seeds two workspaces through `withWorkspace` and proves, for every table of the package, that
   * each sees only its rows, cannot change or insert the other's, and that nothing is visible
   * without a workspace. Throws IsolationAssertionError listing every broken promise.
   */
  async assertIsolation(database: EphemeralDatabase, seed: Seed): Promise<IsolationReport> {
    await database.client.query(
      `INSERT INTO ydtb_workspaces (id, name, slug) VALUES ($1, 'Test A', $1), ($2, 'Test B', $2) ON CONFLICT (id) DO NOTHING`,
      [WORKSPACE_A, WORKSPACE_B],
    );
    for (const workspaceId of [WORKSPACE_A, WORKSPACE_B]) {
      await withWorkspace(database.db, workspaceId, (tx) => seed(tx, workspaceId));
    }
    const tables: TableIsolation[] = [];
    const failures: string[] = [];
    for (const table of tablesToSecure(this.package, this.container.get(REGISTRY_CONFIG))) {
      const checked = await checkTable(database.client, table);
      tables.push(checked.isolation);
      failures.push(...checked.failures);
    }
    if (failures.length) throw new IsolationAssertionError(this.packageName, failures);
    return { packageName: this.packageName, tables };
  }
}

export function createPackageTestKit(module: ContainerModule, options?: PackageTestKitOptions): PackageTestKit {
  return new PackageTestKit(module, options);
}
