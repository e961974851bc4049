import { resolve } from 'node:path';
import { importWorkspace } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { plural, tableProgress } from '../render-transfer.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const workspaceImport: Command = {
  name: 'workspace import',
  summary: 'load a workspace export into this database',
  usage: `Usage: ydtb workspace import <dir> [--dry-run] [--json] [options]

Loads a folder written by ydtb workspace export into this database (another one, or the
same after the workspace was erased). Before anything is written it verifies the sha256 of
every file, and refuses when an installed package's version differs from the manifest, a
package is missing, the database is not migrated or the workspace already exists. Then, in
one transaction under the migration lock: core rows as the migrating role (users already
present are kept as they are), package rows as the application role with the workspace set
(row-level security refuses a row of any other workspace), and serial and identity
sequences moved past the imported ids. Generated columns are computed, not written.
Exit codes: 0 imported, 1 refused (checksum, versions, workspace exists, a row of another
workspace) or failed, 2 bad usage or a package export, 3 invalid packages, 5 the embedded
database is in use.

  --dry-run          check and load everything, then roll back: nothing is kept
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...DATABASE_OPTIONS, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('workspace import takes exactly one folder, e.g. ydtb workspace import exports/acme');
    const dir = positionals[0]!;
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await importWorkspace(client, registry, config, {
        dir: resolve(io.cwd, dir),
        dryRun: values['dry-run'],
        onTable: tableProgress(io, values['dry-run'] ? 'checked' : 'imported'),
        waitingForLock: () => io.err('Another migrator holds the migration lock; waiting for it to finish…'),
      });
      if (values.json) {
        io.out(JSON.stringify({ database: description, dir, ...result }, null, 2));
        return EXIT.ok;
      }
      const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
      const kept = result.tables.reduce((sum, t) => sum + t.kept, 0);
      const keptText = kept ? ` (${plural(kept, 'shared row')} already here kept as they are)` : '';
      io.out(
        result.dryRun
          ? `Dry run: workspace "${result.workspaceId}" from ${dir} would import ${plural(rows, 'row')} into the ${description}${keptText}; checksums and versions verified, nothing was changed.`
          : `Imported workspace "${result.workspaceId}" from ${dir} into the ${description}: ${plural(rows, 'row')} in ${plural(result.tables.length, 'table')}${keptText}.`,
      );
      return EXIT.ok;
    });
  },
};
