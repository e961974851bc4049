import { dirname, resolve } from 'node:path';
import { exportWorkspace } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { plural, tableProgress } from '../render-transfer.ts';
import { UsageError } from '../usage-error.ts';
import { withDatabase } from '../with-database.ts';
import { existsSync, statSync } from 'node:fs';

export const workspaceExport: Command = {
  name: 'workspace export',
  summary: 'write every row of one workspace to a folder, with a manifest',
  usage: `Usage: ydtb workspace export <workspaceId> --out <dir> [--json] [options]

Writes every row of one workspace: its core rows (the workspace, its memberships, the users
they and its rows reference) and every row of it in every package table, read as the
application role with the workspace set, so row-level security itself keeps every other
workspace's rows out. One consistent snapshot; one JSON Lines file a table in dependency
order (each line an array of PostgreSQL's text form of each value), read through a cursor so
memory stays bounded, and manifest.json: package versions, tables, columns, row counts and
the sha256 of each file. A progress line per table goes to standard error.
Exit codes: 0 exported, 1 the workspace does not exist / the folder is not empty / the
database is not migrated or cannot be reached, 2 bad usage, 3 invalid packages, 5 the
embedded database is in use.

  --out <dir>        a new or empty folder
  --json             print one JSON object (the manifest) instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...DATABASE_OPTIONS, out: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('workspace export takes exactly one workspace id, e.g. ydtb workspace export acme --out exports/acme');
    if (!values.out) throw new UsageError('workspace export needs --out <dir>: a new or empty folder for the files.');
    const workspaceId = positionals[0]!;
    refuseFileAsFolder(resolve(io.cwd, values.out), values.out);
    const { registry, config, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const manifest = await exportWorkspace(client, registry, config, { workspaceId, outDir: resolve(io.cwd, values.out!), onTable: tableProgress(io, 'exported') });
      if (values.json) {
        io.out(JSON.stringify({ database: description, dir: values.out, manifest }, null, 2));
        return EXIT.ok;
      }
      const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
      io.out(`Exported workspace "${workspaceId}" from the ${description}: ${plural(rows, 'row')} in ${plural(manifest.tables.length, 'table')} to ${values.out} (checksums in manifest.json).`);
      return EXIT.ok;
    });
  },
};

/** --out names a folder to write into: a file there, or on the way to it, is a usage error saying so. */
function refuseFileAsFolder(outDir: string, given: string): void {
  for (let path = outDir; ; path = dirname(path)) {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) return;
      const where = path === outDir ? `--out ${given} is an existing file` : `--out ${given} lies under ${path}, an existing file`;
      throw new UsageError(`${where}: workspace export writes a folder (a file a table, and manifest.json). Give a new or empty folder.`);
    }
    if (dirname(path) === path) return;
  }
}
