import { resolve } from 'node:path';
import { uninstallPackage } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { plural, tableProgress } from '../render-transfer.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const dbUninstall: Command = {
  name: 'db uninstall',
  summary: "export every row of a package's tables, then drop them (a dry run without --yes)",
  usage: `Usage: ydtb db uninstall <package> --export <dir> [--yes] [--json] [options]

Removes an installed package from the database. Refused while another installed package
depends on it (named). Otherwise, in one transaction under the migration lock, with its
tables locked: every row of every table of the package (all workspaces, read as the
migrating role) is written to <dir> as ydtb workspace export writes them, with a manifest;
then its views, tables, enum types, sequences and declared SECURITY DEFINER functions are
dropped and its history rows marked uninstalled. Then remove it from ydtb.config.ts:
db migrate and db status are clean. Listed again, db migrate recreates its tables and
ydtb db restore <dir> loads the rows back. The package must still be listed in
ydtb.config.ts to be uninstalled: its schema says which tables are its.
Without --yes it is a dry run: what would be exported and dropped, nothing changed.
Exit codes: 0 uninstalled (or dry run), 1 refused (an installed dependent, not installed,
folder not empty, not migrated) or failed, 2 bad usage / a package not in the config or
core, 3 invalid packages, 5 the embedded database is in use.

  --export <dir>     a new or empty folder for the rows; required with --yes
  --yes              uninstall; without it, only show what would happen
  --dry-run          the same as leaving out --yes
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...DATABASE_OPTIONS, export: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('db uninstall takes exactly one package name, e.g. ydtb db uninstall @ydtb/crm --export exports/crm --yes');
    if (values.yes && values['dry-run']) throw new UsageError('--yes and --dry-run contradict each other: give one.');
    if (values.yes && !values.export) throw new UsageError('db uninstall --yes needs --export <dir>: every row of the package is written there before its tables are dropped.');
    const packageName = positionals[0]!;
    const dryRun = !values.yes;
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await uninstallPackage(client, registry, config, {
        packageName,
        dryRun,
        ...(values.export ? { exportDir: resolve(io.cwd, values.export) } : {}),
        onTable: tableProgress(io, 'exported'),
        waitingForLock: () => io.err('Another migrator holds the migration lock; waiting for it to finish…'),
      });
      if (values.json) {
        io.out(JSON.stringify({ database: description, dir: values.export ?? null, ...result }, null, 2));
        return EXIT.ok;
      }
      const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
      const objects = [
        ...result.dropped.views.map((v) => `view ${v}`),
        ...result.dropped.tables.map((t) => `table ${t}`),
        ...result.dropped.types.map((t) => `type ${t}`),
        ...result.dropped.sequences.map((s) => `sequence ${s}`),
        ...result.dropped.functions.map((f) => `function ${f}`),
      ];
      const lines = [
        ...result.tables.map((t) => `  ${t.table}: ${plural(t.rows, 'row')}`),
        `  drop: ${objects.join(', ')}`,
        `  history: ${result.migrations.join(', ')} marked uninstalled`,
      ];
      if (result.dryRun) {
        io.out(
          [
            `Dry run: uninstalling ${packageName} ${result.version} from the ${description} would export ${plural(rows, 'row')} and drop its objects:`,
            ...lines,
            `Nothing was changed; run again with --export <dir> --yes to uninstall.`,
          ].join('\n'),
        );
        return EXIT.ok;
      }
      io.out(
        [
          `Uninstalled ${packageName} ${result.version} from the ${description}: ${plural(rows, 'row')} exported to ${values.export} (checksums in manifest.json), then:`,
          ...lines,
          `Remove it from ydtb.config.ts now; to bring it back, list it again, run ydtb db migrate, then ydtb db restore ${values.export}.`,
        ].join('\n'),
      );
      return EXIT.ok;
    });
  },
};
