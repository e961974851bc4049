import { repairMigration } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const dbRepair: Command = {
  name: 'db repair',
  summary: 'record the checksum of an applied migration that was edited, with a reason',
  usage: `Usage: ydtb db repair <package> <migration> --reason "…" [--dry-run] [--json] [options]

An applied migration whose SQL was edited afterwards stops ydtb db migrate. When you have
checked that the database matches the edited SQL (a comment or formatting changed, or the
same change was made by hand), this records the shipped checksum in the history, under the
migration lock, and keeps the repair in ydtb_migration_repairs: the old and new checksums,
the reason, the database role and the time. ydtb db status lists every repair.
Exit codes: 0 repaired, 1 nothing to repair (not applied, or the checksum already
matches) / the database cannot be reached, 2 bad usage (no --reason) or an unknown package
or migration, 3 invalid packages, 5 the embedded database is in use.

  --reason <text>    why the edit is safe; required, kept in the audit table
  --dry-run          show the old and new checksums, change nothing
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...DATABASE_OPTIONS, reason: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 2) throw new UsageError('db repair takes a package and a migration, e.g. ydtb db repair @ydtb/basic 0001_init --reason "comment fixed"');
    if (!values.reason?.trim()) throw new UsageError('db repair needs --reason "…": why the edited migration matches the database. It is kept in the audit table.');
    const [packageName, migrationId] = positionals as [string, string];
    const { registry, projectDir } = await loadHost(io.cwd, values.config);
    if (!registry.all().some((p) => p.registration.packageName === packageName)) {
      const known = registry.all().map((p) => p.registration.packageName).join(', ');
      throw new UsageError(`Package "${packageName}" is not registered. Registered packages: ${known}.`);
    }
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await repairMigration(client, registry, {
        packageName,
        migrationId,
        reason: values.reason!,
        dryRun: values['dry-run'],
        waitingForLock: () => { if (!values.json) io.out('Another migrator holds the migration lock; waiting for it to finish…'); },
      });
      if (values.json) {
        io.out(JSON.stringify({ database: description, ...result, reason: values.reason!.trim() }, null, 2));
        return EXIT.ok;
      }
      io.out(`Database: ${description}`);
      io.out(`${packageName} ${migrationId}: recorded sha256 ${result.oldChecksum}, shipped sha256 ${result.newChecksum}.`);
      io.out(result.dryRun ? 'Dry run: would record the shipped checksum; nothing was changed.' : 'Repaired: the shipped checksum is recorded; the repair is kept in ydtb_migration_repairs.');
      return EXIT.ok;
    });
  },
};
