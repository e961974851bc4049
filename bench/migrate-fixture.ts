import type { PGliteInterface } from '@electric-sql/pglite';
import { createContainer, DatabaseRegistry, type MigrationDefinition } from '@ydtb/core';
import { syntheticPackages, TABLES_PER_PACKAGE, type SyntheticPackage } from './synthetic';

/** What the migrate groups run: the packages, their registry and the same DDL for the baselines. */
export interface MigrateFixture {
  readonly packageCount: number;
  readonly registry: DatabaseRegistry;
  /** Core's migrations and then one a package, in the order the pipeline applies them. */
  readonly migrations: readonly { readonly tag: string; readonly sql: string }[];
  readonly expectedTables: number;
}

/** The SQL a migration runs (a migration is `{ id, sql }` or `{ id, up, down }`). */
function sqlOf(migration: MigrationDefinition): string {
  return 'sql' in migration ? migration.sql : migration.up;
}

export function startRegistry(packages: readonly SyntheticPackage[]): DatabaseRegistry {
  return createContainer(packages.map((p) => p.module)).get(DatabaseRegistry);
}

/** The first `count` synthetic packages (of `ddl`), their registry and their migrations as one list. */
export function migrateFixture(ddl: readonly string[], count: number): MigrateFixture {
  const packages = syntheticPackages(ddl.slice(0, count));
  const registry = startRegistry(packages);
  const coreSql = (registry.core.registration.migrations ?? []).map(sqlOf);
  const migrations = [
    ...coreSql.map((sql, i) => ({ tag: `${String(i).padStart(4, '0')}_ydtb_core`, sql })),
    ...packages.map((p, i) => ({ tag: `${String(coreSql.length + i).padStart(4, '0')}_p${String(i).padStart(4, '0')}`, sql: p.ddl })),
  ];
  return { packageCount: count, registry, migrations, expectedTables: count * TABLES_PER_PACKAGE };
}

/** The synthetic packages' tables (`ydtb_p…`) in a database. */
export async function tableCount(pg: PGliteInterface): Promise<number> {
  const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relname LIKE 'ydtb\\_p%'`);
  return rows[0]!.n;
}
