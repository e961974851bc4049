import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { ledgerModule, ledgerSchema } from '@ydtb/fixture-ledger';
import { createPackageTestKit, type EphemeralDatabase, type Seed } from '@ydtb/testing';
import { runCliCaptured } from '../packages/cli/src/cli/run-cli-captured';
import { withWorkspace } from '../apps/core/src/lib/isolation/with-workspace';
import { driftOf } from '../apps/core/src/lib/migrations/migrate-database';
import { createContainer } from '../apps/core/src/lib/registry/container';
import { DatabaseRegistry } from '../apps/core/src/lib/registry/database';
import { defaultRegistryConfig } from '../apps/core/src/lib/registry/registry-config';
import { eraseWorkspace } from '../apps/core/src/lib/tenancy/erase-workspace';
import { exportWorkspace } from '../apps/core/src/lib/tenancy/export-workspace';
import { importWorkspace } from '../apps/core/src/lib/tenancy/import-workspace';
import { checksums } from '../apps/core/src/lib/tenancy/fixtures/life-cycle-fixtures';
import { pgliteEngine, postgresEngine } from './cli-engines';

/*
 * Workspace columns of the types real schemas declare. A MySQL app's varchar(256) workspace and
 * user columns (@ydtb/fixture-ledger) go the whole way: check, generate, migrate twice, status,
 * use, drift, export and import, and the kit's isolation attack; PostgreSQL deparses their policy
 * with a cast, which must not read as an altered policy. An SQLite app's integer workspace column
 * is refused at check, with the type to use, before any migration could fail on it.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const { accounts, entries } = ledgerSchema;
const registry = () => createContainer([ledgerModule]).get(DatabaseRegistry);

const seedLedger: Seed = async (tx, workspaceId) => {
  await tx.insert(accounts).values({ workspaceId, id: 'cash', name: 'Cash', createdBy: 'u1' });
  await tx.insert(entries).values([
    { workspaceId, id: 'e1', accountId: 'cash', amountCents: 1250, memo: `opening of ${workspaceId}` },
    { workspaceId, id: 'e2', accountId: 'cash', amountCents: -300 },
  ]);
};

describe('a workspace column PostgreSQL cannot compare with core ids', () => {
  it('should be refused by db check, naming the column, its type and the type to use', async () => {
    const check = await runCliCaptured(['db', 'check', '--config', 'test/fixtures/integer-workspace.config.ts'], { cwd: root, env: {} });
    expect(check.code).toBe(3);
    expect(check.output).toContain(
      'error ydtb/core-reference-types (table "ydtb_sqlport_projects", column "workspace_id"): Column "ydtb_sqlport_projects.workspace_id" is integer, but ydtb_workspaces.id is text',
    );
    expect(check.output).toContain("Declare it as text('workspace_id').");
  });
});

describe.each([
  ['PGlite', pgliteEngine],
  ['PostgreSQL', postgresEngine],
] as const)('a varchar(256) workspace column on %s', (_name, makeEngine) => {
  const engine = makeEngine();
  const ydtb = (args: string) => runCliCaptured([...args.split(' '), '--config', 'test/fixtures/ledger.config.ts'], { cwd: root, env: engine.env() });
  let database: EphemeralDatabase;
  let folder: string;

  beforeAll(async () => {
    await engine.prepare();
    folder = mkdtempSync(join(tmpdir(), 'ydtb-ledger-'));
  });

  afterAll(async () => {
    await database?.close();
    await engine.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should pass db check, generate nothing new, migrate twice without restoring its policy and report a clean status', async () => {
    const check = await ydtb('db check');
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: expect.stringContaining('OK: 2 packages valid') });
    const generate = await ydtb('db generate @ydtb/fixture-ledger');
    expect({ code: generate.code, output: generate.output }).toEqual({ code: 0, output: '@ydtb/fixture-ledger: the schema matches the last migration; nothing to generate.' });
    const first = await ydtb('db migrate');
    expect({ code: first.code, output: first.output }).toEqual({ code: 0, output: expect.stringContaining('the isolation probe read no other workspace') });
    // A second run that verifies everything again: the deparsed policy, `((workspace_id)::text = …)`, is the pipeline's.
    const second = await ydtb('db migrate --verify');
    expect({ code: second.code, output: second.output }).toEqual({ code: 0, output: expect.stringContaining('Nothing to migrate') });
    expect(second.output).not.toMatch(/altered|restor/i);
    const status = await ydtb('db status --deep');
    expect({ code: status.code, output: status.output }).toEqual({ code: 0, output: expect.stringContaining('Up to date.') });
  }, 120_000);

  describe('when the application uses it', () => {
    beforeAll(async () => {
      database = await engine.open();
      await database.client.exec(`INSERT INTO ydtb_users (id, email) VALUES ('u1', 'u1@example.com') ON CONFLICT DO NOTHING`);
      await database.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b') ON CONFLICT DO NOTHING`);
    });

    it('should write, read and cascade through withWorkspace as the application role, one workspace at a time', async () => {
      for (const ws of ['wa', 'wb']) await withWorkspace(database.db, ws, (tx) => seedLedger(tx, ws));
      const ofA = await withWorkspace(database.db, 'wa', (tx) => tx.select({ workspaceId: entries.workspaceId, memo: entries.memo }).from(entries).where(eq(entries.id, 'e1')));
      expect(ofA).toEqual([{ workspaceId: 'wa', memo: 'opening of wa' }]);
      await withWorkspace(database.db, 'wa', (tx) => tx.delete(accounts).where(eq(accounts.id, 'cash')));
      expect(await withWorkspace(database.db, 'wa', (tx) => tx.select().from(entries))).toEqual([]);
      expect(await withWorkspace(database.db, 'wb', (tx) => tx.select().from(entries))).toHaveLength(2);
    });

    it('should show no drift, and export, erase and import a workspace to the same rows', async () => {
      const config = defaultRegistryConfig;
      expect(await driftOf(database.client, registry(), config)).toEqual([]);
      const before = join(folder, 'wb-before');
      await exportWorkspace(database.client, registry(), config, { workspaceId: 'wb', outDir: before });
      await eraseWorkspace(database.client, registry(), config, { workspaceId: 'wb' });
      expect(await withWorkspace(database.db, 'wb', (tx) => tx.select().from(entries))).toEqual([]);
      await importWorkspace(database.client, registry(), config, { dir: before });
      const after = join(folder, 'wb-after');
      await exportWorkspace(database.client, registry(), config, { workspaceId: 'wb', outDir: after });
      expect(checksums(after)).toEqual(checksums(before));
      expect(await driftOf(database.client, registry(), config)).toEqual([]);
    });

    it('should pass assertIsolation for both tables', async () => {
      const report = await createPackageTestKit(ledgerModule).assertIsolation(database, seedLedger);
      expect(report.tables.map((t) => t.table).sort()).toEqual(['ydtb_ledger_accounts', 'ydtb_ledger_entries']);
    });
  });
});
