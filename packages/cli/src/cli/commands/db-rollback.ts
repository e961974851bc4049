import { rollbackPackage } from '@ydtb/core/tooling';
import type { RollbackTarget } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderDrift } from '../render-drift.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

/** `--to none`: no migration of the package remains applied. */
const NONE = 'none';

export const dbRollback: Command = {
  name: 'db rollback',
  summary: 'undo a package\'s last migrations with their down SQL, in one transaction',
  usage: `Usage: ydtb db rollback <package> [--to <migration> | --to none | --steps <n>] [--dry-run] [--json] [options]

Undoes applied migrations of <package>: under the migration lock, the down SQL of each
(NNNN_name.down.sql) runs newest first, all in one transaction, which also marks their
history rows rolled_back (with the time and the database role) and applies the package's
row-level security and grants to what remains; then the database is verified. The undone
migrations are pending again: ydtb db migrate applies them anew. Data the down SQL drops is
not restored.
Without --to or --steps it undoes the last applied migration (--steps 1).
Refused, with nothing changed: a migration to undo without down SQL, one that runs outside a
transaction (-- ydtb:no-transaction), one edited after it was applied; undoing every
migration while a package that depends on it has tables; down SQL that drops foreign keys
other tables hold into the package's tables.
Exit codes: 0 rolled back (or the dry run would), 1 refused / a down SQL failed / drift after
it / the database cannot be reached, 2 bad usage or an unknown package or migration,
3 invalid packages or a down SQL that controls the transaction or the role, 5 the embedded
database is in use.

  --to <migration>   the migration that stays applied: every applied one after it is undone
  --to none          undo every applied migration of the package (its tables are dropped)
  --steps <n>        undo the last n applied migrations
  --dry-run          check and show what would run (the SQL with --json), change nothing
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...DATABASE_OPTIONS, to: { type: 'string' }, steps: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('db rollback takes exactly one package name, e.g. ydtb db rollback @ydtb/crm --to 0001_init');
    const packageName = positionals[0]!;
    const target = targetOf(values.to, values.steps);
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    const pkg = registry.all().find((p) => p.registration.packageName === packageName);
    if (!pkg) {
      const known = registry.all().map((p) => p.registration.packageName).join(', ');
      throw new UsageError(`Package "${packageName}" is not registered. Registered packages: ${known}.`);
    }
    const shipped = (pkg.registration.migrations ?? []).map((m) => m.id);
    if ('to' in target && target.to !== null && !shipped.includes(target.to)) {
      throw new UsageError(`${packageName} ships no migration "${target.to}". Its migrations: ${shipped.join(', ') || 'none'}; --to none undoes every one.`);
    }
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      if (!values.json) io.out(`Database: ${description}`);
      const result = await rollbackPackage(client, registry, config, {
        packageName,
        target,
        dryRun: values['dry-run'],
        reporter: values.json
          ? {}
          : {
              waitingForLock: () => io.out('Another migrator holds the migration lock; waiting for it to finish…'),
              rollbackStarted: (name, version, ids) => io.out(`  ${name} ${version}: rolling back ${ids.length} ${ids.length === 1 ? 'migration' : 'migrations'}, newest first, in one transaction…`),
              migrationRolledBack: (_name, id, durationMs) => io.out(`    ${id} (${Math.round(durationMs)} ms)`),
            },
      });
      const code = result.drift.length ? EXIT.failed : EXIT.ok;
      const ids = result.migrations.map((m) => m.migrationId);
      const remaining = result.remaining === null ? `none of its migrations remains applied` : `${result.remaining} is its last applied migration`;
      if (values.json) {
        io.out(JSON.stringify({ database: description, ...result }, null, 2));
        return code;
      }
      if (result.dryRun) {
        io.out(`Dry run: would run the down SQL of ${ids.join(', ')} of ${packageName} (newest first, in one transaction); then ${remaining}. Nothing was changed; --json shows the SQL.`);
        return EXIT.ok;
      }
      io.out(`Rolled back ${packageName}: ${ids.join(', ')} undone, pending again (ydtb db migrate applies ${ids.length === 1 ? 'it' : 'them'}); ${remaining}.`);
      if (result.drift.length) {
        io.out(`Verification found drift:\n${renderDrift(result.drift)}`);
        return code;
      }
      const secured = result.securedTables.length;
      io.out(`Verified: no drift${secured ? `; row-level security and grants applied to the ${secured} ${secured === 1 ? 'table' : 'tables'} of ${packageName} that remain` : ''}.`);
      return code;
    });
  },
};

/** --to and --steps, checked: one of them at most, a whole number of steps of at least 1. */
function targetOf(to: string | undefined, steps: string | undefined): RollbackTarget {
  if (to !== undefined && steps !== undefined) throw new UsageError('db rollback takes --to or --steps, not both.');
  if (to !== undefined) return { to: to === NONE ? null : to };
  if (steps === undefined) return { steps: 1 };
  if (!/^[1-9]\d*$/.test(steps)) throw new UsageError(`--steps takes a whole number of migrations, at least 1, not "${steps.slice(0, 40)}".`);
  return { steps: Number(steps) };
}
