import { migrateDatabase } from '@ydtb/core/tooling';
import { pendingCount } from '@ydtb/core/tooling';
import { EXIT, type CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import type { Host } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import type { Drift } from '@ydtb/core/tooling';
import { renderDrift } from '../render-drift.ts';
import { withHostAndDatabase } from '../with-database.ts';
import { plural } from '../render-transfer.ts';

export const dbMigrate: Command = {
  name: 'db migrate',
  summary: 'validate, migrate, verify and report (the initialisation pipeline)',
  usage: `Usage: ydtb db migrate [--dry-run] [--verify] [--json] [options]

Validates every package, applies pending migrations (core first, then packages in
dependency order, each package in one transaction; a migration headed
-- ydtb:no-transaction runs on its own, outside it), verifies the live database
against the registry and reports. Running it again is a no-op: when nothing changed
since the last clean verification (the schema epoch, raised by a DDL event trigger, or
a fingerprint of the catalog), it says so instead of verifying everything again.
Exit codes: 0 done, 1 a migration failed / an applied migration was edited or is no
longer shipped / drift / the database cannot be reached, 3 invalid packages or a migration
that controls the transaction or the role, 5 the embedded database is in use.

  --dry-run          show what would be applied, change nothing
  --verify           verify the whole catalog even when nothing changed since the
                     last clean verification
  --json             print one JSON object instead of text: { database, dryRun,
                     pending, applied, uninstalled, restored, drift, probed,
                     verification } (the exit codes are the same)
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, 'dry-run': { type: 'boolean' }, verify: { type: 'boolean' }, json: { type: 'boolean' } });
    if (values.json) return migrateAsJson(io, values);
    // The database opens while the packages load and validate.
    const validated = ({ registry }: Host) => io.out(`Validated ${plural(registry.list().length + 1, 'package')} (core and ${registry.list().length} installed).`);
    return withHostAndDatabase(io, { config: values.config, dataDir: values['data-dir'] }, validated, async ({ registry, config }, { client, description }) => {
      io.out(`Database: ${description}`);
      const result = await migrateDatabase(client, registry, config, {
        dryRun: values['dry-run'],
        verify: values.verify === true,
        reporter: {
          waitingForLock: () => io.out('Another migrator holds the migration lock; waiting for it to finish…'),
          packageStarted: (pkg) =>
            io.out(`  ${pkg.packageName} ${pkg.version}: ${pkg.pending.length ? `applying ${countOf(pkg.pending.length, 'migration')}` : 'restoring row-level security'}…`),
          migrationRan: (_packageName, migrationId, durationMs, how) =>
            io.out(`    ${migrationId} (${Math.round(durationMs)} ms${how?.outsideTransaction ? ', outside a transaction' : ''})`),
          invalidIndexDropped: (_packageName, migrationId, index) =>
            io.out(`    ${migrationId}: dropped the invalid index "${index}" a failed run left, to build it again`),
          packageApplied: (done) =>
            io.out(`  ${done.packageName}: ${done.migrationIds.length} applied, ${plural(done.securedTables.length, 'table')} secured, in ${Math.round(done.durationMs)} ms`),
        },
      });
      for (const { packageName, migrationIds } of result.plan.uninstalled) {
        io.out(`Note: the history records ${migrationIds.length} ${migrationIds.length === 1 ? 'migration' : 'migrations'} of ${packageName}, which is not installed; its tables are left as they are.`);
      }
      const pending = pendingCount(result.plan);
      if (result.dryRun) {
        io.out(pending ? `Dry run: would apply ${plural(pending, 'migration')}:` : 'Dry run: nothing to migrate, the database is up to date.');
        for (const pkg of result.plan.packages.filter((p) => p.pending.length)) {
          io.out(`  ${pkg.packageName} ${pkg.version}: ${pkg.pending.map((m) => m.id).join(', ')}`);
        }
        return EXIT.ok;
      }
      const secured = result.applied.reduce((n, p) => n + p.securedTables.length, 0);
      io.out(
        pending || secured
          ? `Migrated: ${plural(pending, 'migration')} in ${plural(result.applied.length, 'package')}; row-level security applied to ${plural(secured, 'table')}.`
          : 'Nothing to migrate: the database is already up to date.',
      );
      if (result.restored.length) io.out(`Restored:\n${renderDrift(result.restored.map(asRestored))}`);
      if (result.drift.length) {
        io.out(`Verification found drift:\n${renderDrift(result.drift)}`);
        return EXIT.failed;
      }
      if (result.verification !== 'full') {
        const how = result.verification === 'schema-epoch' ? 'no schema change since the last full verification (schema epoch)' : 'the catalog is unchanged since the last full verification (catalog fingerprint)';
        io.out(`Verified: ${how}; ydtb db migrate --verify checks everything again.`);
        return EXIT.ok;
      }
      const tables = registry.all().reduce((n, p) => n + p.tables.length, 0);
      io.out(
        `Verified: all ${tables} registered tables exist with their workspace foreign keys; package tables are isolated by workspace` +
          (result.probed ? '; the isolation probe read no other workspace\'s rows.' : '.'),
      );
      return EXIT.ok;
    });
  },
};

/** `db migrate --json`: the same run, its outcome as one JSON object on standard output and nothing else there. */
function migrateAsJson(
  io: CliIo,
  values: { readonly config?: string | undefined; readonly 'data-dir'?: string | undefined; readonly 'dry-run'?: boolean | undefined; readonly verify?: boolean | undefined },
): Promise<number> {
  return withHostAndDatabase(io, { config: values.config, dataDir: values['data-dir'] }, () => undefined, async ({ registry, config }, { client, description }) => {
    const result = await migrateDatabase(client, registry, config, {
      dryRun: values['dry-run'],
      verify: values.verify === true,
      reporter: { waitingForLock: () => io.err('Another migrator holds the migration lock; waiting for it to finish…') },
    });
    io.out(
      JSON.stringify(
        {
          database: description,
          dryRun: result.dryRun,
          pending: pendingCount(result.plan),
          applied: result.applied,
          uninstalled: result.plan.uninstalled,
          restored: result.restored,
          drift: result.drift,
          probed: result.probed,
          verification: result.verification,
        },
        null,
        2,
      ),
    );
    return result.drift.length ? EXIT.failed : EXIT.ok;
  });
}

/** A drift this run put right, told in the past: its "run migrate" advice is done. */
function asRestored(drift: Drift): Drift {
  return { ...drift, message: drift.message.replace(/ Run ydtb db migrate to restore it\.$/, '') };
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
