import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { createContainer, DatabaseRegistry, defaultRegistryConfig, type MigrationDefinition } from '@ydtb/core';
import { pgliteClient } from '../apps/core/src/lib/database/pglite-client';
import { postgresClient } from '../apps/core/src/lib/database/postgres-client';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { migrateDatabase, type MigrateResult } from '../apps/core/src/lib/migrations/migrate-database';
import { startPostgresServer, type PostgresServer } from '../test/postgres-server';
import { drizzleMigrationsFolder, type FreshDatabases, type Migration } from './databases';
import { samplePair, type Plan, type Samples } from './measure';
import { result, type Result } from './report';
import { syntheticPackages, TABLES_PER_PACKAGE } from './synthetic';

export interface NoopEpochConfig {
  /** Packages of the ratio rows (100 in a full run). */
  readonly small: number;
  /** Packages of the growth row (1,000 in a full run). */
  readonly large: number;
  readonly plan: Plan;
}

/** The synthetic packages' registry and the same migrations as drizzle-orm's migrator reads them. */
function fixture(ddl: readonly string[], count: number): { registry: DatabaseRegistry; migrations: Migration[] } {
  const packages = syntheticPackages(ddl.slice(0, count));
  const registry = createContainer(packages.map((p) => p.module)).get(DatabaseRegistry);
  const sqlOf = (m: MigrationDefinition) => ('sql' in m ? m.sql : m.up);
  const coreSql = (registry.core.registration.migrations ?? []).map(sqlOf);
  const migrations = [
    ...coreSql.map((sql, i) => ({ tag: `${String(i).padStart(4, '0')}_ydtb_core`, sql })),
    ...packages.map((p, i) => ({ tag: `${String(coreSql.length + i).padStart(4, '0')}_p${String(i).padStart(4, '0')}`, sql: p.ddl })),
  ];
  return { registry, migrations };
}

const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;

/** Times `work` after a forced GC; `check` runs after the clock stops. */
function timed<T>(work: () => Promise<T>, check: (outcome: T) => void): () => Promise<number> {
  return async () => {
    gc?.(true);
    const started = performance.now();
    const outcome = await work();
    const elapsed = performance.now() - started;
    check(outcome);
    return elapsed;
  };
}

function noop(expected: MigrateResult['verification']): (outcome: MigrateResult) => void {
  return (outcome) => {
    if (outcome.applied.length > 0 || outcome.drift.length > 0 || outcome.verification !== expected) {
      throw new Error(`the no-op migrate applied ${outcome.applied.length} packages, found ${outcome.drift.length} drift, verified by ${outcome.verification} (expected ${expected})`);
    }
  };
}

/** One engine's pair of databases: ours migrated with migrateDatabase, drizzle's with its migrator. */
interface Contenders {
  ours(verify: boolean): Promise<MigrateResult>;
  drizzle(): Promise<unknown>;
  close(): Promise<void>;
}

async function pgliteContenders(dbs: FreshDatabases, registry: DatabaseRegistry, folder: string): Promise<Contenders> {
  const ourPg: PGlite = await dbs.fresh();
  const theirPg: PGlite = await dbs.fresh();
  const client = pgliteClient(ourPg);
  const db = drizzlePglite({ client: theirPg });
  return {
    ours: (verify) => migrateDatabase(client, registry, defaultRegistryConfig, { verify }),
    drizzle: () => migratePglite(db, { migrationsFolder: folder }),
    close: async () => {
      await dbs.close(ourPg);
      await dbs.close(theirPg);
    },
  };
}

let databases = 0;

/**
 * drizzle's migrator applies every pending migration in one transaction: 1,000 packages' tables
 * at once exceed the server's lock table. Its history is built up a hundred migrations a call.
 */
async function applyInSteps(db: Parameters<typeof migratePostgres>[0], migrations: readonly Migration[]): Promise<void> {
  for (let end = 100; end < migrations.length; end += 100) {
    const step = drizzleMigrationsFolder(migrations.slice(0, end));
    try {
      await migratePostgres(db, { migrationsFolder: step.folder });
    } finally {
      step.rm();
    }
  }
}

/** Two new databases on `server`: ours migrated as `role` (the superuser, or a database owner that is none), drizzle's as the superuser. */
async function postgresContenders(server: PostgresServer, registry: DatabaseRegistry, migrations: readonly Migration[], folder: string, role?: string): Promise<Contenders> {
  const [ourName, theirName] = [`ydtb_epoch_${databases}`, `drizzle_epoch_${databases++}`];
  const admin = postgresClient(server.url);
  await admin.exec(`CREATE DATABASE ${ourName}${role ? ` OWNER ${role}` : ''}`);
  await admin.exec(`CREATE DATABASE ${theirName}`);
  await admin.close();
  const urlOf = (database: string, user?: string) => {
    const url = new URL(server.url);
    url.pathname = `/${database}`;
    if (user) url.username = user;
    return url.toString();
  };
  if (role) {
    const owner = postgresClient(urlOf(ourName));
    await owner.exec(`ALTER SCHEMA public OWNER TO ${role}`);
    await owner.close();
  }
  const client: SqlClient & { close(): Promise<void> } = postgresClient(urlOf(ourName, role));
  const sql = postgres(urlOf(theirName), { max: 1, onnotice: () => undefined });
  const db = drizzlePostgres({ client: sql });
  await applyInSteps(db, migrations);
  return {
    ours: (verify) => migrateDatabase(client, registry, defaultRegistryConfig, { verify }),
    drizzle: () => migratePostgres(db, { migrationsFolder: folder }),
    close: async () => {
      await client.close();
      await sql.end({ timeout: 5 });
    },
  };
}

/** Migrates both sides once, untimed, then times our no-op against drizzle's. */
async function measureNoop(contenders: Contenders, plan: Plan, verify: boolean, expected: MigrateResult['verification']): Promise<[Samples, Samples]> {
  const first = await contenders.ours(false);
  if (first.drift.length > 0) throw new Error(`the first migrate found ${first.drift.length} drift`);
  await contenders.drizzle();
  return samplePair(
    plan,
    timed(() => contenders.ours(verify), noop(expected)),
    timed(() => contenders.drizzle(), () => undefined),
  );
}

const ms = (s: Samples) => `${s.median.toFixed(2)} ms`;

/**
 * The no-op migrate with its verification kept (the schema epoch, or the catalog fingerprint),
 * in process, against drizzle-orm's migrate() on the same migrations, all applied: on PGlite and
 * on a PostgreSQL server started for the run; the full verification and the catalog fingerprint
 * for information; and how the no-op grows from `small` to `large` packages on PostgreSQL (a first
 * migrate of 1,000 packages takes PGlite over ten minutes).
 */
export async function noopEpochRows(ddl: readonly string[], config: NoopEpochConfig, dbs: FreshDatabases, progress: (line: string) => void): Promise<Result[]> {
  const { small, large, plan } = config;
  const rows: Result[] = [];
  const row = (name: string, [ours, theirs]: [Samples, Samples], target: number | null) =>
    result({
      name,
      value: ours.median,
      baseline: theirs.median,
      target,
      targetOf: target === null ? null : 'ratio',
      unit: 'ms',
      baselineIs: "drizzle's migrate()",
      samples: ours.samples,
      baselineSamples: theirs.samples,
    });
  {
    const { registry, migrations } = fixture(ddl, small);
    const folder = drizzleMigrationsFolder(migrations);
    progress(`no-op migrate by the schema epoch, PGlite, ${small} packages (${small * TABLES_PER_PACKAGE} tables)…`);
    const pglite = await pgliteContenders(dbs, registry, folder.folder);
    try {
      const pair = await measureNoop(pglite, plan, false, 'schema-epoch');
      progress(`  migrateDatabase ${ms(pair[0])}, drizzle migrate() ${ms(pair[1])}`);
      rows.push(row(`no-op migrate, schema epoch, PGlite (${small} pkgs)`, pair, 1.0));
      progress(`no-op migrate --verify (full verification), PGlite, ${small} packages…`);
      const full = await samplePair(plan, timed(() => pglite.ours(true), noop('full')), timed(() => pglite.drizzle(), () => undefined));
      progress(`  migrateDatabase --verify ${ms(full[0])}, drizzle migrate() ${ms(full[1])}`);
      rows.push(row(`no-op migrate --verify, PGlite (${small} pkgs)`, full, null));
    } finally {
      await pglite.close();
      folder.rm();
    }
  }

  progress('starting a PostgreSQL server for the no-op rows…');
  const server = await startPostgresServer();
  try {
    const medians = new Map<number, [Samples, Samples]>();
    for (const count of [small, large]) {
      const { registry, migrations } = fixture(ddl, count);
      const folder = drizzleMigrationsFolder(migrations);
      try {
        progress(`no-op migrate by the schema epoch, PostgreSQL (superuser migrator), ${count} packages (${count * TABLES_PER_PACKAGE} tables)…`);
        const superuser = await postgresContenders(server, registry, migrations, folder.folder);
        try {
          const pair = await measureNoop(superuser, plan, false, 'schema-epoch');
          progress(`  migrateDatabase ${ms(pair[0])}, drizzle migrate() ${ms(pair[1])}`);
          medians.set(count, pair);
          if (count !== small) continue;
          rows.push(row(`no-op migrate, schema epoch, PostgreSQL (${count} pkgs)`, pair, 1.0));
          progress(`no-op migrate --verify (full verification), PostgreSQL, ${count} packages…`);
          const full = await samplePair(plan, timed(() => superuser.ours(true), noop('full')), timed(() => superuser.drizzle(), () => undefined));
          progress(`  migrateDatabase --verify ${ms(full[0])}, drizzle migrate() ${ms(full[1])}`);
          rows.push(row(`no-op migrate --verify, PostgreSQL (${count} pkgs)`, full, null));
        } finally {
          await superuser.close();
        }
        progress(`no-op migrate by the catalog fingerprint, PostgreSQL (database owner, no superuser), ${count} packages…`);
        const admin = postgresClient(server.url);
        await admin.exec(`CREATE ROLE ydtb_bench_owner LOGIN CREATEROLE`);
        await admin.close();
        const owner = await postgresContenders(server, registry, migrations, folder.folder, 'ydtb_bench_owner');
        try {
          const pair = await measureNoop(owner, plan, false, 'catalog-fingerprint');
          progress(`  migrateDatabase ${ms(pair[0])}, drizzle migrate() ${ms(pair[1])}`);
          rows.push(row(`no-op migrate, catalog fingerprint, PostgreSQL (${count} pkgs)`, pair, null));
        } finally {
          await owner.close();
        }
      } finally {
        folder.rm();
      }
    }
    const growth = (side: 0 | 1) => medians.get(large)![side].median / medians.get(small)![side].median;
    rows.push(
      result({
        name: `no-op migrate, schema epoch, PostgreSQL ${large}/${small} pkgs`,
        value: growth(0),
        baseline: growth(1),
        target: 1.5,
        targetOf: 'value',
        unit: '×',
        baselineIs: "drizzle's growth",
      }),
    );
  } finally {
    await server.stop();
  }
  return rows;
}
