import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeTemplatePglite, databaseKinds } from '../../../../../test/test-databases.ts';
import { rejectionOf } from '../../../../../test/thrown.ts';
import type { SqlClient } from '../database/sql-client.ts';
import type { DatabaseRegistry } from '../registry/database.ts';
import { defaultRegistryConfig } from '../registry/registry-config.ts';
import { readHistory, readHistoryLog, recordBaselined } from './history.ts';
import { driftOf, migrateDatabase, planDatabase } from './migrate-database.ts';
import { MigrationLintError } from './migration-lint-error.ts';
import { withoutPendingDrift } from './pending-drift.ts';
import { RollbackFailedError } from './rollback-failed-error.ts';
import {
  basicInTwoSteps,
  crmInTwoSteps,
  PINNED_DOWN_COMMITS,
  PINNED_DOWN_DROPS_KEYS,
  PINNED_DOWN_FAILS,
  PINNED_WITHOUT_DOWN,
  PINNED_WITHOUT_TRANSACTION,
} from './rollback-fixtures.ts';
import { rollbackPackage, type RollbackRequest } from './rollback-package.ts';
import { RollbackRefusedError } from './rollback-refused-error.ts';
import { checksumOf } from './checksum.ts';
import { registryWith, tableNames } from './test-packages.ts';
import type { MigrationDefinition } from '../../types/database-registry.ts';

afterAll(closeTemplatePglite);

const BASIC = '@ydtb/basic';
const CRM = '@ydtb/crm';

/** Two workspaces with notes, tags, contacts and links between them, written as the tables' owner. */
const SEED = `
INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one'), ('w2', 'Two', 'two');
INSERT INTO ydtb_basic_notes (id, workspace_id, title, body, pinned) VALUES
  ('00000000-0000-0000-0000-000000000001', 'w1', 'first', 'kept', true),
  ('00000000-0000-0000-0000-000000000002', 'w2', 'second', 'kept too', false);
INSERT INTO ydtb_basic_note_tags (workspace_id, note_id, tag) VALUES ('w1', '00000000-0000-0000-0000-000000000001', 'red');
INSERT INTO ydtb_crm_contacts (id, workspace_id, name, email, phone) VALUES
  ('00000000-0000-0000-0000-0000000000c1', 'w1', 'Ada', 'ada@example.com', '+1 555'),
  ('00000000-0000-0000-0000-0000000000c2', 'w2', 'Bob', NULL, NULL);
INSERT INTO ydtb_crm_contact_notes (workspace_id, contact_id, note_id) VALUES
  ('w1', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-000000000001');`;

/** Every row of the tables, columns in a fixed order, as text: what a rollback of another package must leave alone. */
async function rowsOf(client: SqlClient, tables: readonly string[], except: readonly string[] = []): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    const all = await client.query<Record<string, unknown>>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY 1`);
    rows[table] = all.map(({ row }) => Object.fromEntries(Object.entries(row as object).filter(([column]) => !except.includes(column)).sort()));
  }
  return rows;
}

const BASIC_TABLES = ['ydtb_basic_notes', 'ydtb_basic_note_tags'];
const CRM_TABLES = ['ydtb_crm_contacts', 'ydtb_crm_contact_notes'];

describe.each(databaseKinds)('rollbackPackage on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;

  beforeEach(async () => {
    ({ client, release } = await kind.open());
  });

  afterEach(async () => {
    await release();
  });

  /** basic and crm, each two migrations, migrated and seeded. */
  async function migrated(second?: MigrationDefinition): Promise<DatabaseRegistry> {
    const registry = registryWith(basicInTwoSteps(second), crmInTwoSteps());
    expect((await migrateDatabase(client, registry, defaultRegistryConfig)).drift).toEqual([]);
    await client.exec(SEED);
    return registry;
  }

  const rollback = (registry: DatabaseRegistry, request: RollbackRequest) => rollbackPackage(client, registry, defaultRegistryConfig, request);

  /** What `ydtb db status` reports: pending migrations per package, and drift not explained by them. */
  async function status(registry: DatabaseRegistry) {
    const plan = await planDatabase(client, registry);
    return {
      pending: Object.fromEntries(plan.packages.filter((p) => p.pending.length).map((p) => [p.packageName, p.pending.map((m) => m.id)])),
      drift: withoutPendingDrift(await driftOf(client, registry, defaultRegistryConfig, { probe: true }), plan),
    };
  }

  describe('when crm is rolled back to the last migration it ships while basic has rows', () => {
    it('should drop only what 0002 added, keep every other row, record who and when, and migrate back up', async () => {
      const registry = await migrated();
      const basicBefore = await rowsOf(client, BASIC_TABLES);
      const crmBefore = await rowsOf(client, CRM_TABLES, ['phone']);
      const ran: string[] = [];

      const result = await rollback(registry, { packageName: CRM, target: { to: '0002_note_link_index' }, reporter: { migrationRolledBack: (_p, id) => ran.push(id) } });

      expect(result).toMatchObject({ packageName: CRM, remaining: '0002_note_link_index', dryRun: false, drift: [] });
      expect(result.migrations.map((m) => [m.migrationId, m.status])).toEqual([['0003_phone', 'applied']]);
      expect(ran).toEqual(['0003_phone']);
      expect(result.securedTables).toEqual(expect.arrayContaining(CRM_TABLES));
      expect(await rowsOf(client, BASIC_TABLES)).toEqual(basicBefore);
      expect(await rowsOf(client, CRM_TABLES)).toEqual(crmBefore);
      const [{ role }] = await client.query<{ role: string }>('SELECT current_user AS role');
      const log = (await readHistoryLog(client)).filter((r) => r.packageName === CRM);
      expect(log.map((r) => [r.migrationId, r.status, r.revertedBy])).toEqual([
        ['0001_init', 'applied', null],
        ['0002_note_link_index', 'applied', null],
        ['0003_phone', 'rolled_back', role],
      ]);
      expect(log[2]!.revertedAt).toBeInstanceOf(Date);
      expect(await status(registry)).toEqual({ pending: { [CRM]: ['0003_phone'] }, drift: [] });

      const again = await migrateDatabase(client, registry, defaultRegistryConfig);

      expect(again.applied.map((p) => [p.packageName, p.migrationIds])).toEqual([[CRM, ['0003_phone']]]);
      expect(again.drift).toEqual([]);
      expect((await readHistoryLog(client)).filter((r) => r.packageName === CRM).map((r) => [r.migrationId, r.status])).toEqual([
        ['0001_init', 'applied'],
        ['0002_note_link_index', 'applied'],
        ['0003_phone', 'rolled_back'],
        ['0003_phone', 'applied'],
      ]);
      expect(await status(registry)).toEqual({ pending: {}, drift: [] });
    });
  });

  describe('when packages are rolled back in uninstall order: crm fully, then basic fully', () => {
    it('should remove their tables, keep the workspaces, and migrate both back up', async () => {
      const registry = await migrated();
      const basicBefore = await rowsOf(client, BASIC_TABLES);

      const crm = await rollback(registry, { packageName: CRM, target: { to: null } });

      expect(crm.remaining).toBeNull();
      expect(crm.migrations.map((m) => m.migrationId)).toEqual(['0003_phone', '0002_note_link_index', '0001_init']);
      expect(crm.drift).toEqual([]);
      expect(await tableNames(client)).not.toContain('ydtb_crm_contacts');
      expect(await rowsOf(client, BASIC_TABLES)).toEqual(basicBefore);

      const basic = await rollback(registry, { packageName: BASIC, target: { to: null } });

      expect(basic.migrations.map((m) => m.migrationId)).toEqual(['0002_pinned', '0001_init']);
      expect(basic.drift).toEqual([]);
      expect((await tableNames(client)).filter((t) => !t.startsWith('ydtb_migration_'))).toEqual(['ydtb_schema_epoch', 'ydtb_users', 'ydtb_workspace_members', 'ydtb_workspaces']);
      expect(await client.query('SELECT id FROM ydtb_workspaces ORDER BY id')).toEqual([{ id: 'w1' }, { id: 'w2' }]);
      expect(await readHistory(client)).toEqual([expect.objectContaining({ packageName: '@ydtb/core' })]);
      expect(await status(registry)).toEqual({ pending: { [BASIC]: ['0001_init', '0002_pinned'], [CRM]: ['0001_init', '0002_note_link_index', '0003_phone'] }, drift: [] });

      const again = await migrateDatabase(client, registry, defaultRegistryConfig);

      expect(again.applied.map((p) => p.packageName)).toEqual([BASIC, CRM]);
      expect(again.drift).toEqual([]);
      expect(await status(registry)).toEqual({ pending: {}, drift: [] });
    });
  });

  describe('when basic is rolled back to a migration that keeps its tables while crm has rows', () => {
    it('should leave crm\'s rows and its foreign keys into basic as they were', async () => {
      const registry = await migrated();
      const crmBefore = await rowsOf(client, CRM_TABLES);

      const result = await rollback(registry, { packageName: BASIC, target: { steps: 1 } });

      expect(result.migrations.map((m) => m.migrationId)).toEqual(['0002_pinned']);
      expect(result.drift).toEqual([]);
      expect(await rowsOf(client, CRM_TABLES)).toEqual(crmBefore);
      expect(await client.query(`SELECT conname FROM pg_constraint WHERE conname = 'ydtb_crm_contact_notes_note_fk'`)).toHaveLength(1);
    });
  });

  describe('when basic would lose every table while crm, which depends on it, has tables', () => {
    it('should refuse naming crm and its tables, and change nothing', async () => {
      const registry = await migrated();
      const log = await readHistoryLog(client);

      const error = (await rejectionOf(rollback(registry, { packageName: BASIC, target: { to: null } }))) as RollbackRefusedError;

      expect(error.problem).toEqual({ kind: 'dependents-have-tables', dependents: [{ packageName: CRM, tables: ['ydtb_crm_contact_notes', 'ydtb_crm_contacts'] }] });
      expect(error.message).toContain('  @ydtb/crm: ydtb_crm_contact_notes, ydtb_crm_contacts');
      expect(await readHistoryLog(client)).toEqual(log);
      expect(await tableNames(client)).toContain('ydtb_basic_notes');
    });
  });

  describe('when core would lose its tables while packages have theirs', () => {
    it('should refuse naming every package with tables: every package depends on core', async () => {
      const registry = await migrated();

      const error = (await rejectionOf(rollback(registry, { packageName: '@ydtb/core' }))) as RollbackRefusedError;

      expect(error.problem).toEqual({
        kind: 'dependents-have-tables',
        dependents: [
          { packageName: BASIC, tables: ['ydtb_basic_note_tags', 'ydtb_basic_notes'] },
          { packageName: CRM, tables: ['ydtb_crm_contact_notes', 'ydtb_crm_contacts'] },
        ],
      });
    });
  });

  describe('when the migration to undo was baselined', () => {
    it('should run its down SQL as for an applied one, and report how it had been recorded', async () => {
      const registry = registryWith(basicInTwoSteps(), crmInTwoSteps());
      const phone = crmInTwoSteps().migrations!.at(-1)! as { id: string; sql: string };
      await migrateDatabase(client, registryWith(basicInTwoSteps(), { ...crmInTwoSteps(), migrations: crmInTwoSteps().migrations!.slice(0, -1) }), defaultRegistryConfig);
      // The column made by hand, then recorded as db baseline records it once the tables match.
      await client.exec(phone.sql);
      await recordBaselined(client, { packageName: CRM, migrationId: phone.id, packageVersion: '0.3.0', checksum: checksumOf(phone.sql) });

      const result = await rollback(registry, { packageName: CRM });

      expect(result.migrations.map((m) => [m.migrationId, m.status])).toEqual([['0003_phone', 'baselined']]);
      expect(result.drift).toEqual([]);
      expect(await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'ydtb_crm_contacts' AND column_name = 'phone'`)).toEqual([]);
      expect((await readHistoryLog(client)).filter((r) => r.packageName === CRM).map((r) => [r.migrationId, r.status])).toEqual([
        ['0001_init', 'applied'],
        ['0002_note_link_index', 'applied'],
        ['0003_phone', 'rolled_back'],
      ]);
    });
  });

  describe('when the down SQL would drop foreign keys crm holds into basic', () => {
    it('should roll the transaction back and name the keys', async () => {
      const registry = await migrated(PINNED_DOWN_DROPS_KEYS);
      const log = await readHistoryLog(client);

      const error = (await rejectionOf(rollback(registry, { packageName: BASIC }))) as RollbackRefusedError;

      expect(error.problem).toEqual({
        kind: 'breaks-foreign-keys',
        keys: [
          { constraint: 'ydtb_crm_contact_notes_note_fk', table: 'ydtb_crm_contact_notes', references: 'ydtb_basic_notes', packageName: CRM },
        ],
      });
      expect(await readHistoryLog(client)).toEqual(log);
      expect(await client.query(`SELECT pinned FROM ydtb_basic_notes ORDER BY title`)).toEqual([{ pinned: true }, { pinned: false }]);
    });
  });

  describe('when a migration to undo cannot be undone in the transaction', () => {
    it.each([
      ['it has no down SQL', PINNED_WITHOUT_DOWN, 'no-down-sql'],
      ['it ran outside a transaction', PINNED_WITHOUT_TRANSACTION, 'no-transaction'],
    ] as const)('should refuse when %s, naming it', async (_case, second, kindOfProblem) => {
      const registry = await migrated(second);

      const error = (await rejectionOf(rollback(registry, { packageName: BASIC }))) as RollbackRefusedError;

      expect(error.problem).toEqual({ kind: kindOfProblem, migrationIds: ['0002_pinned'] });
      expect(error.message).toContain('0002_pinned');
      expect((await readHistory(client)).filter((r) => r.packageName === BASIC).map((r) => r.migrationId)).toEqual(['0001_init', '0002_pinned']);
    });

    it('should refuse a down SQL that controls the transaction before anything runs', async () => {
      const registry = await migrated(PINNED_DOWN_COMMITS);

      const error = (await rejectionOf(rollback(registry, { packageName: BASIC }))) as MigrationLintError;

      expect(error).toBeInstanceOf(MigrationLintError);
      expect(error.findings.map((f) => [f.rule, f.migration, f.line])).toEqual([['ydtb/migration-transaction', '0002_pinned.down', 2]]);
      expect(await client.query(`SELECT count(*)::int AS n FROM ydtb_basic_notes WHERE pinned`)).toEqual([{ n: 1 }]);
    });

    it('should report a down SQL that fails, with nothing changed', async () => {
      const registry = await migrated(PINNED_DOWN_FAILS);

      const error = (await rejectionOf(rollback(registry, { packageName: BASIC }))) as RollbackFailedError;

      expect(error).toBeInstanceOf(RollbackFailedError);
      expect(error.migrationIds).toEqual(['0002_pinned']);
      expect(error.database.message).toContain('no_such_column');
      expect(await client.query(`SELECT count(*)::int AS n FROM ydtb_basic_notes WHERE pinned`)).toEqual([{ n: 1 }]);
      expect((await readHistory(client)).filter((r) => r.packageName === BASIC)).toHaveLength(2);
    });
  });

  describe('when the target is not one that can remain', () => {
    it.each([
      [{ to: '0009_missing' }, { kind: 'unknown-migration', migrationId: '0009_missing', shipped: ['0001_init', '0002_note_link_index', '0003_phone'] }],
      [{ to: '0003_phone' }, { kind: 'nothing-after-target', migrationId: '0003_phone' }],
      [{ steps: 4 }, { kind: 'too-many-steps', steps: 4, applied: ['0001_init', '0002_note_link_index', '0003_phone'] }],
    ] as const)('should refuse %j', async (target, problem) => {
      const registry = await migrated();

      const error = (await rejectionOf(rollback(registry, { packageName: CRM, target }))) as RollbackRefusedError;

      expect(error.problem).toEqual(problem);
    });

    it('should refuse a target that is not applied, and a package that is not installed', async () => {
      const registry = await migrated();
      await rollback(registry, { packageName: CRM, target: { to: '0001_init' } });

      const notApplied = (await rejectionOf(rollback(registry, { packageName: CRM, target: { to: '0003_phone' } }))) as RollbackRefusedError;
      const unknown = (await rejectionOf(rollback(registry, { packageName: '@ydtb/nope' }))) as RollbackRefusedError;

      expect(notApplied.problem).toEqual({ kind: 'target-not-applied', migrationId: '0003_phone', applied: ['0001_init'] });
      expect(unknown.problem).toEqual({ kind: 'unknown-package' });
    });
  });

  describe('when it is a dry run', () => {
    it('should list the down SQL that would run and change nothing', async () => {
      const registry = await migrated();
      const log = await readHistoryLog(client);
      const rows = await rowsOf(client, [...BASIC_TABLES, ...CRM_TABLES]);

      const result = await rollback(registry, { packageName: CRM, target: { to: null }, dryRun: true });

      expect(result).toMatchObject({ dryRun: true, remaining: null, drift: [], securedTables: [] });
      expect(result.migrations.map((m) => [m.migrationId, m.durationMs, m.down.trim().split('\n').at(-1)])).toEqual([
        ['0003_phone', undefined, 'ALTER TABLE "ydtb_crm_contacts" DROP COLUMN "phone";'],
        ['0002_note_link_index', undefined, 'DROP INDEX "ydtb_crm_contact_notes_note_idx";'],
        ['0001_init', undefined, 'DROP TABLE "ydtb_crm_contacts" CASCADE;'],
      ]);
      expect(await readHistoryLog(client)).toEqual(log);
      expect(await rowsOf(client, [...BASIC_TABLES, ...CRM_TABLES])).toEqual(rows);
    });
  });
});
