import { baselineDatabase } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderDrift } from '../render-drift.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const dbBaseline: Command = {
  name: 'db baseline',
  summary: 'adopt tables that already exist: record their migrations without running them',
  usage: `Usage: ydtb db baseline <package> [--to <migration>] [--dry-run] [--json] [options]

Adopts a database whose tables of <package> already exist (made by drizzle-kit push or
by hand). Under the migration lock it compares the live tables with the package schema as
of the migration (--to, default its last): tables, columns with their types and
nullability, primary keys and foreign keys. When they match, it records every migration up
to that one as baselined in one transaction, running none of their SQL, then migrates as
ydtb db migrate does: later migrations run, row-level security and grants are applied and
the database is verified. When they differ it lists each difference and records nothing.
Exit codes: 0 baselined, 1 the tables differ / already recorded / drift after it / the
database cannot be reached, 2 bad usage or an unknown package or migration, 3 invalid
packages, 5 the embedded database is in use.

  --to <migration>   the last migration the tables already reflect (default the last one);
                     an earlier one is compared with its migrations/meta/NNNN_snapshot.json
  --dry-run          compare and show what would be recorded, change nothing
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...DATABASE_OPTIONS, to: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('db baseline takes exactly one package name, e.g. ydtb db baseline @ydtb/basic');
    const packageName = positionals[0]!;
    const { registry, config, projectDir, configFile } = await loadHost(io.cwd, values.config);
    const pkg = packageName === registry.core.registration.packageName ? registry.core : registry.get(packageName);
    if (!pkg) {
      const known = registry.all().map((p) => p.registration.packageName).join(', ');
      throw new UsageError(`Package "${packageName}" is not registered. Registered packages: ${known}.`);
    }
    if (values.to !== undefined && !(pkg.registration.migrations ?? []).some((m) => m.id === values.to)) {
      throw new UsageError(`${packageName} ships no migration "${values.to}". Its migrations: ${(pkg.registration.migrations ?? []).map((m) => m.id).join(', ') || 'none'}.`);
    }
    // drizzle-kit is large: load it only here, not on every start of the CLI.
    const { expectedSchema } = await import('../../lib/baseline/expected-schema.ts');
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await baselineDatabase(client, registry, config, {
        packageName,
        ...(values.to !== undefined ? { to: values.to } : {}),
        expected: (migrationId) => expectedSchema(pkg, migrationId, configFile),
        dryRun: values['dry-run'],
        waitingForLock: () => { if (!values.json) io.out('Another migrator holds the migration lock; waiting for it to finish…'); },
      });
      const drift = result.migrate?.drift ?? [];
      const code = drift.length ? EXIT.failed : EXIT.ok;
      if (values.json) {
        io.out(JSON.stringify({ database: description, packageName, target: result.target, baselined: result.baselined, dryRun: result.dryRun, drift }, null, 2));
        return code;
      }
      io.out(`Database: ${description}`);
      io.out(`The live tables of ${packageName} match its schema as of ${result.target}.`);
      if (result.dryRun) {
        io.out(`Dry run: would record ${result.baselined.join(', ')} as baselined (no SQL run); nothing was changed.`);
        return EXIT.ok;
      }
      io.out(`Baselined ${packageName}: ${result.baselined.join(', ')} recorded without running their SQL.`);
      const applied = result.migrate?.applied.flatMap((p) => p.migrationIds.map((id) => `${p.packageName} ${id}`)) ?? [];
      if (applied.length) io.out(`Migrated: ${applied.join(', ')}.`);
      if (drift.length) {
        io.out(`Verification found drift:\n${renderDrift(drift)}`);
        return code;
      }
      io.out('Row-level security and grants applied; verified: no drift.');
      return code;
    });
  },
};
