import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { invoicingModule, invoicingSchema } from '@ydtb/fixture-invoicing';
import { teamsModule, teamsSchema } from '@ydtb/fixture-teams';
import { createPackageTestKit, type EphemeralDatabase, type Seed, type TestDb } from '@ydtb/testing';
import { runCliCaptured } from '../packages/cli/src/cli/run-cli-captured';
import { withWorkspace } from '../apps/core/src/lib/isolation/with-workspace';
import { pgliteEngine, postgresEngine } from './cli-engines';

/*
 * Packages shaped like real apps' schemas (serial and identity ids, generated tsvector columns,
 * enums with common names in two packages, jsonb, self-references, link tables, 30+ character
 * table names, a global lookup table, references to ydtb_users), taken through what an author
 * and an operator do: check, generate, migrate twice, status; then used by the application role
 * and attacked with assertIsolation. On the embedded database and on a PostgreSQL server.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = ['--config', 'test/fixtures/real-world.config.ts'];
const { currencies, customers, projects, timeEntries, tags, timeEntryTags, invoices, recurringSchedules } = invoicingSchema;
const { invitations, activityLogs, pendingInvitations } = teamsSchema;

type Tx = Parameters<Parameters<TestDb['transaction']>[0]>[0];

/** One row in every workspace table of both packages, written as the application would. */
async function seedInvoicing(tx: Tx, workspaceId: string): Promise<void> {
  const [customer] = await tx.insert(customers).values({ workspaceId, name: 'Acme', email: `billing@${workspaceId}.test`, billingAddress: { city: 'Lyon' } }).returning();
  const [project] = await tx.insert(projects).values({ workspaceId, customerId: customer!.id, name: 'Website', hourlyRate: '95.00' }).returning();
  await tx.insert(projects).values({ workspaceId, customerId: customer!.id, parentId: project!.id, name: 'Website: blog' });
  const [entry] = await tx
    .insert(timeEntries)
    .values({ workspaceId, projectId: project!.id, userId: 'u1', description: 'designed the landing page', minutes: 90 })
    .returning();
  const [tag] = await tx.insert(tags).values({ workspaceId, name: 'design' }).returning();
  await tx.insert(timeEntryTags).values({ workspaceId, timeEntryId: entry!.id, tagId: tag!.id });
  await tx.insert(invoices).values({ workspaceId, customerId: customer!.id, number: 'INV-1', currency: 'EUR', lines: [{ description: 'Design', amount: '142.50' }], total: '142.50' });
  await tx.insert(recurringSchedules).values({ workspaceId, customerId: customer!.id, cron: '0 9 1 * *' });
}

const seedTeams: Seed = async (tx, workspaceId) => {
  await tx.insert(invitations).values({ workspaceId, email: 'new@example.com', invitedBy: 'u1' });
  await tx.insert(activityLogs).values({ workspaceId, userId: 'u1', action: 'invite', details: { email: 'new@example.com' }, ipAddress: '203.0.113.7' });
};

describe.each([
  ['PGlite', pgliteEngine],
  ['PostgreSQL', postgresEngine],
] as const)('real-world packages on %s', (_name, makeEngine) => {
  const engine = makeEngine();
  const ydtb = (args: string) => runCliCaptured([...args.split(' '), ...CONFIG], { cwd: root, env: engine.env() });
  let database: EphemeralDatabase;

  beforeAll(() => engine.prepare());

  afterAll(async () => {
    await database?.close();
    await engine.drop();
  });

  it(`should pass db check, generate nothing new, migrate twice and report a clean status`, async () => {
    const check = await ydtb('db check');
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: expect.stringContaining('OK: 3 packages valid') });
    for (const name of ['@ydtb/fixture-invoicing', '@ydtb/fixture-teams']) {
      const generate = await ydtb(`db generate ${name}`);
      expect({ code: generate.code, output: generate.output }).toEqual({ code: 0, output: `${name}: the schema matches the last migration; nothing to generate.` });
    }
    const first = await ydtb('db migrate');
    expect({ code: first.code, output: first.output }).toEqual({ code: 0, output: expect.stringContaining('the isolation probe read no other workspace') });
    const second = await ydtb('db migrate');
    expect({ code: second.code, output: second.output }).toEqual({ code: 0, output: expect.stringContaining('Nothing to migrate') });
    const status = await ydtb('db status --deep');
    expect({ code: status.code, output: status.output }).toEqual({ code: 0, output: expect.stringContaining('Up to date.') });
  }, 120_000);

  describe('when the application uses them', () => {
    beforeAll(async () => {
      database = await engine.open();
      await database.client.exec(`INSERT INTO ydtb_users (id, email) VALUES ('u1', 'u1@example.com') ON CONFLICT DO NOTHING`);
      // A global table's rows come from the operator or a migration, never from a workspace.
      await database.db.insert(currencies).values([{ code: 'EUR', name: 'Euro' }, { code: 'USD', name: 'US dollar' }]).onConflictDoNothing();
      await database.client.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('wa', 'A', 'a'), ('wb', 'B', 'b') ON CONFLICT DO NOTHING`);
    });

    it('should insert, search, update and delete through withWorkspace as the application role', async () => {
      for (const ws of ['wa', 'wb']) await withWorkspace(database.db, ws, (tx) => seedInvoicing(tx, ws));

      const found = await withWorkspace(database.db, 'wa', (tx) =>
        tx.select({ description: timeEntries.description }).from(timeEntries).where(sql`${timeEntries.search} @@ to_tsquery('simple', 'landing')`),
      );
      expect(found).toEqual([{ description: 'designed the landing page' }]);
      const sent = await withWorkspace(database.db, 'wa', (tx) => tx.update(invoices).set({ status: 'sent' }).where(eq(invoices.number, 'INV-1')).returning());
      expect(sent.map((i) => [i.workspaceId, i.status])).toEqual([['wa', 'sent']]);
      // Deleting the parent project takes its sub-project and their time entries and tag links with it.
      await withWorkspace(database.db, 'wa', (tx) => tx.delete(projects).where(and(eq(projects.name, 'Website'))));
      const left = await withWorkspace(database.db, 'wa', async (tx) => ({
        projects: (await tx.select().from(projects)).length,
        entries: (await tx.select().from(timeEntries)).length,
        links: (await tx.select().from(timeEntryTags)).length,
      }));
      expect(left).toEqual({ projects: 0, entries: 0, links: 0 });
      const ofB = await withWorkspace(database.db, 'wb', (tx) => tx.select().from(projects));
      expect(ofB).toHaveLength(2);
      const rates = await withWorkspace(database.db, 'wa', (tx) => tx.select().from(currencies));
      expect(rates.map((c) => c.code).sort()).toEqual(['EUR', 'USD']);
    });

    it('should keep the teams package working: identity and bigserial ids, jsonb, its view', async () => {
      for (const ws of ['wa', 'wb']) await withWorkspace(database.db, ws, (tx) => seedTeams(tx, ws));
      const pending = await withWorkspace(database.db, 'wa', (tx) => tx.select().from(pendingInvitations));
      expect(pending.map((p) => p.workspaceId)).toEqual(['wa']);
      const logs = await withWorkspace(database.db, 'wb', (tx) => tx.select().from(activityLogs));
      expect(logs.map((l) => [l.workspaceId, l.details])).toEqual([['wb', { email: 'new@example.com' }]]);
    });

    it('should pass assertIsolation for every table of both packages', async () => {
      const invoicing = await createPackageTestKit(invoicingModule).assertIsolation(database, (tx, ws) => seedInvoicing(tx, ws));
      const teams = await createPackageTestKit(teamsModule).assertIsolation(database, seedTeams);
      expect(invoicing.tables.map((t) => t.table).sort()).toEqual([
        'ydtb_invoicing_customers',
        'ydtb_invoicing_invoices',
        'ydtb_invoicing_projects',
        'ydtb_invoicing_recurring_invoice_schedules',
        'ydtb_invoicing_tags',
        'ydtb_invoicing_time_entries',
        'ydtb_invoicing_time_entry_tags',
      ]);
      expect(teams.tables.map((t) => t.table).sort()).toEqual(['ydtb_teams_activity_logs', 'ydtb_teams_invitations']);
    });
  });
});
