import { resolve } from 'node:path';
import { restorePackage } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { plural, tableProgress } from '../render-transfer.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const dbRestore: Command = {
  name: 'db restore',
  summary: 'load the rows ydtb db uninstall exported back into the package tables',
  usage: `Usage: ydtb db restore <dir> [--dry-run] [--json] [options]

Loads a folder written by ydtb db uninstall --export back into the package's tables, which
ydtb db migrate recreated after the package was listed in ydtb.config.ts again. Before
anything is written it verifies the sha256 of every file and refuses when the installed
versions differ from the manifest or the package's tables already hold rows. One
transaction under the migration lock, as the migrating role (the rows are every
workspace's); a global table's rows are replaced by the exported ones; serial and identity
sequences are moved past the restored ids.
Exit codes: 0 restored, 1 refused (checksum, versions, tables not empty, not migrated) or
failed, 2 bad usage / a workspace export / the package is not in the config, 3 invalid
packages, 5 the embedded database is in use.

  --dry-run          check and load everything, then roll back: nothing is kept
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...DATABASE_OPTIONS, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('db restore takes exactly one folder, e.g. ydtb db restore exports/crm');
    const dir = positionals[0]!;
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await restorePackage(client, registry, config, {
        dir: resolve(io.cwd, dir),
        dryRun: values['dry-run'],
        onTable: tableProgress(io, values['dry-run'] ? 'checked' : 'restored'),
        waitingForLock: () => io.err('Another migrator holds the migration lock; waiting for it to finish…'),
      });
      if (values.json) {
        io.out(JSON.stringify({ database: description, dir, ...result }, null, 2));
        return EXIT.ok;
      }
      const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
      io.out(
        result.dryRun
          ? `Dry run: ${dir} would restore ${plural(rows, 'row')} of ${result.packageName} into the ${description}; checksums and versions verified, nothing was changed.`
          : `Restored ${result.packageName} from ${dir} into the ${description}: ${plural(rows, 'row')} in ${plural(result.tables.length, 'table')}.`,
      );
      return EXIT.ok;
    });
  },
};
