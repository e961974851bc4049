import { join, relative } from 'node:path';
import { resolvePackageRoot } from '../../lib/migrations/package-root';
import { EXIT } from '../cli-io';
import type { Command } from '../command';
import { loadHost } from '../host';
import { DATABASE_OPTIONS, parseOptions } from '../parse-options';
import { UsageError } from '../usage-error';

export const dbGenerate: Command = {
  name: 'db generate',
  summary: "write a package's next migration from its Drizzle schema (drizzle-kit)",
  usage: `Usage: ydtb db generate <package> [--name <name>]

Diffs the package's Drizzle schema against the snapshot of its last migration and
writes the next migrations/NNNN_<name>.sql in the package's folder (and updates
migrations/meta/snapshot.json). Review and commit the SQL: what is checked in is what runs.

  --name <name>      migration name, lower case [a-z0-9_] (default "init", then "migration")
  --config <file>    the file listing the package modules (default ydtb.config.ts)
  -h, --help         show this help`,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { config: DATABASE_OPTIONS.config, name: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('db generate takes exactly one package name, e.g. ydtb db generate @ydtb/basic');
    const packageName = positionals[0]!;
    const { registry } = await loadHost(io.cwd, values.config);
    const pkg = packageName === registry.core.registration.packageName ? registry.core : registry.get(packageName);
    if (!pkg) {
      const known = registry.all().map((p) => p.registration.packageName).join(', ');
      throw new UsageError(`Package "${packageName}" is not registered. Registered packages: ${known}.`);
    }
    const folder = join(resolvePackageRoot(packageName), 'migrations');
    // drizzle-kit is large: load it only here, not on every start of the CLI.
    const { generatePackageMigration } = await import('../../lib/migrations/generate-migration');
    const result = await generatePackageMigration({
      packageName,
      schema: pkg.registration.schema,
      folder,
      ...(values.name ? { name: values.name } : {}),
    });
    if (result.kind === 'unchanged') {
      io.out(`${packageName}: the schema matches the last migration; nothing to generate.`);
    } else {
      io.out(`${packageName}: wrote ${relative(io.cwd, result.file)} (${result.statements.length} statements). Review it and commit it.`);
    }
    return EXIT.ok;
  },
};
