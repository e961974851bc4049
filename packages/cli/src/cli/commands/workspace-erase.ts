import { eraseWorkspace } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { plural } from '../render-transfer.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';

export const workspaceErase: Command = {
  name: 'workspace erase',
  summary: 'delete every row of one workspace (a dry run without --yes)',
  usage: `Usage: ydtb workspace erase <workspaceId> [--yes] [--json] [options]

Deletes every row of one workspace in one transaction under the migration lock: each
package table's rows as the application role with the workspace set (row-level security
keeps other workspaces out of reach), children before parents, then its memberships and
the workspace itself. Before committing it proves, as the migrating role and not through
row-level security, that no table with a workspace column holds a row of it, and records
an audit row in ydtb_workspace_erasures (who, when, rows per table; no data). Users are
the platform's and are kept. Without --yes it is a dry run: counts, nothing changed.
Exit codes: 0 erased (or dry run), 1 the workspace does not exist / rows remained (rolled
back) / the database is not migrated or cannot be reached, 2 bad usage, 3 invalid
packages, 5 the embedded database is in use.

  --yes              erase; without it, only count what would be erased
  --dry-run          the same as leaving out --yes
  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...DATABASE_OPTIONS, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('workspace erase takes exactly one workspace id, e.g. ydtb workspace erase acme --yes');
    if (values.yes && values['dry-run']) throw new UsageError('--yes and --dry-run contradict each other: give one.');
    const workspaceId = positionals[0]!;
    const dryRun = !values.yes;
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const result = await eraseWorkspace(client, registry, config, {
        workspaceId,
        dryRun,
        waitingForLock: () => io.err('Another migrator holds the migration lock; waiting for it to finish…'),
      });
      if (values.json) {
        io.out(JSON.stringify({ database: description, ...result }, null, 2));
        return EXIT.ok;
      }
      const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
      const lines = result.tables.map((t) => `  ${t.table} (${t.packageName}): ${plural(t.rows, 'row')}`);
      if (result.dryRun) {
        io.out([`Dry run: erasing workspace "${workspaceId}" in the ${description} would delete ${plural(rows, 'row')}:`, ...lines, 'Nothing was changed; run again with --yes to erase.'].join('\n'));
        return EXIT.ok;
      }
      io.out(
        [
          `Erased workspace "${workspaceId}" in the ${description}: ${plural(rows, 'row')} deleted:`,
          ...lines,
          `Proved: no row of "${workspaceId}" remains in ${plural(result.proved.length, 'table')} with a workspace column. Recorded as erasure #${result.erasureId} in ydtb_workspace_erasures.`,
        ].join('\n'),
      );
      return EXIT.ok;
    });
  },
};
