import { createHash } from 'node:crypto';
import type { DatabaseRegistryConfig, MigrationDefinition, RegisteredPackage } from '../../types/database-registry.ts';
import { tableShape } from '../registry/table-shape.ts';
import { checksumOf } from './checksum.ts';
import type { MigrationPlan } from './migration-plan.ts';

/**
 * Raise it whenever the verification checks something new: a verification recorded by an older
 * version then no longer vouches for the database.
 */
export const VERIFICATION_REVISION = 1;

/** What the registry expects, as hashes a no-op compares with what the database recorded. */
export interface ExpectedState {
  /** sha256 of everything verification compares the catalog with: packages, versions, tables, columns, security model, config. */
  readonly registry: string;
  /** sha256 of the history the registry implies when nothing is pending: `package\tmigration\tchecksum` lines, sorted. */
  readonly history: string;
  /** The plan when the history is exactly that: everything applied, nothing pending. */
  readonly plan: MigrationPlan;
}

interface PackageExpectation {
  readonly digest: string;
  readonly historyLines: readonly string[];
  readonly migrationIds: readonly string[];
}

/*
 * A registered package is frozen with its registration, so what it expects is worked out once
 * per package and configuration, like its tables' shapes.
 */
const expectations = new WeakMap<DatabaseRegistryConfig, WeakMap<RegisteredPackage, PackageExpectation>>();

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sqlOf(migration: MigrationDefinition): string {
  return 'sql' in migration ? migration.sql : migration.up;
}

function expectationOf(pkg: RegisteredPackage, config: DatabaseRegistryConfig): PackageExpectation {
  let perConfig = expectations.get(config);
  if (!perConfig) expectations.set(config, (perConfig = new WeakMap()));
  const known = perConfig.get(pkg);
  if (known) return known;
  const { registration } = pkg;
  const migrations = [...(registration.migrations ?? [])]
    .map((m) => ({ id: m.id, checksum: checksumOf(sqlOf(m)) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const content = {
    packageName: registration.packageName,
    version: registration.version,
    dependencies: registration.dependencies ?? [],
    globalTables: Object.keys(registration.globalTables ?? {}).sort(),
    securityDefinerFunctions: Object.keys(registration.securityDefinerFunctions ?? {}).sort(),
    tables: pkg.tables.map((table) => ({
      name: table.config.name,
      columns: table.config.columns.map((c) => c.name),
      workspaceColumn: tableShape(table, config).workspaceColumn ?? null,
    })),
    views: pkg.views.map((v) => [v.name, v.materialized, v.securityInvoker]),
    objects: pkg.objects.map((o) => [o.kind, o.name]),
    migrations: migrations.map((m) => [m.id, m.checksum]),
  };
  const expectation = {
    digest: sha256(JSON.stringify(content)),
    historyLines: migrations.map((m) => `${registration.packageName}\t${m.id}\t${m.checksum}`),
    migrationIds: migrations.map((m) => m.id),
  };
  perConfig.set(pkg, expectation);
  return expectation;
}

/** The expected state of `ordered` (core first, then packages in migration order) under `config`. */
export function expectedState(ordered: readonly RegisteredPackage[], config: DatabaseRegistryConfig): ExpectedState {
  const each = ordered.map((pkg) => expectationOf(pkg, config));
  const configPart = JSON.stringify([VERIFICATION_REVISION, config.tablePrefix, config.tenantTable, config.tenantKey, config.workspaceProperty]);
  return {
    registry: sha256(`${configPart}\n${each.map((e) => e.digest).join('\n')}`),
    history: sha256(each.flatMap((e) => e.historyLines).sort(byCodePoint).join('\n')),
    plan: {
      packages: ordered.map(({ registration }, i) => ({
        packageName: registration.packageName,
        version: registration.version,
        applied: each[i]!.migrationIds,
        pending: [],
        unknown: [],
      })),
      mismatches: [],
      uninstalled: [],
    },
  };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
