import { driftOf, planDatabase } from '@ydtb/core/tooling';
import { readHistory, readHistoryLog } from '@ydtb/core/tooling';
import { historyEvents, historyOf, type HistoryEvent } from '@ydtb/core/tooling';
import { withoutPendingDrift } from '@ydtb/core/tooling';
import { pendingCount, unknownMigrations } from '@ydtb/core/tooling';
import { readRepairs } from '@ydtb/core/tooling';
import { deletePackageStatement, deleteStatement } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderDrift } from '../render-drift.ts';
import { withDatabase } from '../with-database.ts';

/** How many of a package's latest history events the text output shows. */
const SHORT_HISTORY = 5;

export const dbStatus: Command = {
  name: 'db status',
  summary: 'applied, pending and drift per package',
  usage: `Usage: ydtb db status [--json] [--deep] [options]

Shows, per package, the applied and pending migrations, migrations that were edited
after being applied, and drift between the live database and the registry: tables,
columns, workspace foreign keys, row-level security, the application role's rights,
functions, views and rewrite rules, and what no package declares anywhere in the
database (other schemas and what they hold, triggers, event triggers, policies,
ydtb and role setting defaults, default privileges, package roles' ownership and
attributes); migrations recorded by ydtb db baseline (no SQL
run) and every ydtb db repair (old and new checksum, reason, role, time); and a short
history per package: its latest applied, baselined, rolled back and uninstalled
migrations with the time and the database role (--json: every history row, with its
duration, checksum, who rolled it back and when, and its repairs). Tables a pending
migration makes are reported as pending, not as drift.
Exit codes: 0 up to date, 4 pending migrations, edits, drift, applied migrations
no longer shipped, or history of packages that are not installed.

  --json             print one JSON object instead of text
  --deep             also run the isolation probe: as the application role, in a
                     transaction that is rolled back, read every package table and view
                     for a workspace that has no rows, and for none
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, json: { type: 'boolean' }, deep: { type: 'boolean' } });
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const plan = await planDatabase(client, registry).catch((error: unknown) => Promise.reject(withMigratorHint(error)));
      // Tables and columns the pending migrations make are reported as pending, not as drift.
      const drift = withoutPendingDrift(await driftOf(client, registry, config, { probe: values.deep === true }), plan);
      const history = await readHistory(client);
      const log = await readHistoryLog(client);
      const repairs = await readRepairs(client);
      const packages = plan.packages.map((pkg) => ({
        packageName: pkg.packageName,
        version: pkg.version,
        applied: pkg.applied,
        baselined: history.filter((row) => row.packageName === pkg.packageName && row.status === 'baselined').map((row) => row.migrationId),
        repairs: repairs.filter((r) => r.packageName === pkg.packageName),
        pending: pkg.pending.map((m) => m.id),
        unknown: pkg.unknown,
        edited: plan.mismatches.filter((m) => m.packageName === pkg.packageName),
        drift: drift.filter((d) => d.packageName === pkg.packageName),
        history: historyOf(pkg.packageName, log, repairs),
      }));
      const unknown = unknownMigrations(plan);
      const clean = pendingCount(plan) === 0 && plan.mismatches.length === 0 && drift.length === 0 && unknown.length === 0 && plan.uninstalled.length === 0;
      if (values.json) {
        io.out(JSON.stringify({ database: description, upToDate: clean, packages, uninstalled: plan.uninstalled, drift }, null, 2));
        return clean ? EXIT.ok : EXIT.attention;
      }
      io.out(`Status of ${description}:`);
      for (const pkg of packages) {
        const notes = [
          `${pkg.applied.length} applied${pkg.baselined.length ? ` (${pkg.baselined.length} baselined: ${pkg.baselined.join(', ')})` : ''}`,
          `${pkg.pending.length} pending${pkg.pending.length ? ` (${pkg.pending.join(', ')})` : ''}`,
          ...(pkg.edited.length ? [`${pkg.edited.length} edited after applying (${pkg.edited.map((m) => m.migrationId).join(', ')})`] : []),
          ...(pkg.unknown.length ? [`${pkg.unknown.length} applied but no longer shipped (${pkg.unknown.join(', ')})`] : []),
          `${pkg.drift.length} drift`,
        ];
        io.out(`  ${pkg.packageName} ${pkg.version}: ${notes.join(', ')}`);
        const events = historyEvents(pkg.history);
        if (events.length > SHORT_HISTORY) io.out(`    … ${events.length - SHORT_HISTORY} earlier (--json lists every one)`);
        for (const event of events.slice(-SHORT_HISTORY)) io.out(`    ${describeEvent(event)}`);
      }
      for (const { packageName, migrationIds } of plan.uninstalled) {
        io.out(`  ${packageName} (not installed): ${migrationIds.length} applied in the history (${migrationIds.join(', ')}); its tables are left as they are`);
      }
      if (repairs.length) {
        io.out('Repairs (ydtb db repair):');
        for (const r of repairs) {
          io.out(`  ${r.repairedAt.toISOString()} ${r.packageName} ${r.migrationId} by ${r.repairedBy}: checksum ${r.oldChecksum.slice(0, 12)}… → ${r.newChecksum.slice(0, 12)}…, reason: ${r.reason}`);
        }
      }
      if (plan.uninstalled.length) {
        io.out('History of packages that are not installed: install them again, or drop their tables and then remove their rows:');
        for (const { packageName } of plan.uninstalled) io.out(`  ${deletePackageStatement(packageName)}`);
      }
      if (unknown.length) {
        io.out('Applied migrations that are no longer shipped: restore each file, or, once you have checked the database, remove its row:');
        for (const m of unknown) io.out(`  ${deleteStatement(m.packageName, m.migrationId)}`);
      }
      if (drift.length) io.out(`Drift:\n${renderDrift(drift)}`);
      io.out(clean ? 'Up to date.' : 'Needs attention: run `ydtb db migrate`, or see the drift above.');
      return clean ? EXIT.ok : EXIT.attention;
    });
  },
};

/** `2026-01-31T12:00:00Z 0001_init applied by postgres in 12 ms`. */
function describeEvent(event: HistoryEvent): string {
  const at = event.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const took = event.durationMs !== undefined ? ` in ${event.durationMs} ms` : '';
  const how = event.what === 'baselined' ? ' (no SQL run)' : '';
  return `${at} ${event.migrationId} ${event.what} by ${event.by ?? 'a role the history did not record'}${took}${how}`;
}

/**
 * The history belongs to the migrator: an app's login role (granted ydtb_app) may not read it, so
 * status run as that role fails with PostgreSQL's bare "permission denied". Says whom to run it as.
 */
function withMigratorHint(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code !== '42501') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `${message}. db status reads the migration history, which only the migrator may read: run it as the migrator ` +
      "(the role db migrate runs as, in your deploy step's DATABASE_URL), not as the app's login role.",
    { cause: error },
  );
}
