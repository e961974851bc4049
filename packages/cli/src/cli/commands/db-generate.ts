import { join, relative } from 'node:path';
import { InstalledPackageError } from '@ydtb/core/tooling';
import { packageSourceRoot } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderAmbiguousChange, renderSchemaChoiceError } from '../render-schema-choices.ts';
import { UsageError } from '../usage-error.ts';

export const dbGenerate: Command = {
  name: 'db generate',
  summary: "write a package's next migration from its Drizzle schema (drizzle-kit)",
  usage: `Usage: ydtb db generate <package> [--json] [--name <name>] [--rename <old>=<new>]... [--drop <old>]...

Diffs the package's Drizzle schema against the snapshot of its highest-numbered migration
and writes, all or none, in the package's migrations/ folder: NNNN_<name>.sql,
meta/NNNN_snapshot.json and meta/_journal.json (drizzle-kit's layout). Review and commit
them: what is checked in is what runs. To redo a migration not applied anywhere yet, delete
its .sql file and generate again.

Never asks questions. When something is gone and something new appeared in its place
(a table, a column of a table, a value of an enum, an enum, a sequence, a view, a schema,
a role, a policy), it cannot tell a rename from a drop and a create: it writes nothing,
lists them with these flags, and exits 2 until each gone object is settled:
  --rename <old>=<new>  the object was renamed: its data is kept. Columns are named
                        <table>.<column>=<new column>, e.g. ydtb_crm_contacts.full_name=display_name;
                        enum values <enum>.<value>=<new value>; tables, enums, sequences and
                        views <old>=<new>, e.g. ydtb_crm_old=ydtb_crm_new (schema-qualified
                        when not in public); schemas, roles and policies with a schema:,
                        role: or policy: prefix, as listed
  --drop <old>          the object was removed: it is dropped with its data
A choice that names nothing ambiguous is refused (exit 2).

  --name <name>      migration name, lower case [a-z0-9_] (default "init", then "migration")
  --config <file>    the file listing the package modules (default the nearest ydtb.config.ts upwards)
  --json             print one JSON object instead of text: { packageName, written,
                     file, downFile, statements } or { packageName, written: false, recorded }
  -h, --help         show this help
Exit codes: 0 written or nothing to generate, 1 failed, 2 bad usage or a choice needed,
3 invalid packages.
A package installed from a registry or a tarball (its real folder lies inside node_modules)
is refused with exit 2: generate in the package's own repository.`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        config: DATABASE_OPTIONS.config,
        name: { type: 'string' },
        rename: { type: 'string', multiple: true },
        drop: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('db generate takes exactly one package name, e.g. ydtb db generate @ydtb/basic');
    const packageName = positionals[0]!;
    const { registry, configFile } = await loadHost(io.cwd, values.config);
    const pkg = packageName === registry.core.registration.packageName ? registry.core : registry.get(packageName);
    if (!pkg) {
      const known = registry.all().map((p) => p.registration.packageName).join(', ');
      throw new UsageError(`Package "${packageName}" is not registered. Registered packages: ${known}.`);
    }
    const folder = join(sourceRootOf(packageName, configFile), 'migrations');
    // drizzle-kit is large: load it only here, not on every start of the CLI.
    const { generatePackageMigration, AmbiguousChangeError, SchemaChoiceError } = await import('../../lib/migrations/generate-migration.ts');
    const generating = generatePackageMigration({
      packageName,
      schema: pkg.registration.schema,
      folder,
      ...(values.name ? { name: values.name } : {}),
      choices: { renames: values.rename ?? [], drops: values.drop ?? [] },
    });
    const result = await generating.catch((error: unknown) => {
      if (error instanceof AmbiguousChangeError) throw new UsageError(renderAmbiguousChange(error));
      if (error instanceof SchemaChoiceError) throw new UsageError(renderSchemaChoiceError(error));
      throw error;
    });
    if (values.json) {
      const relativeOrNull = (file: string | undefined) => (file ? relative(io.cwd, file) : null);
      io.out(
        JSON.stringify(
          result.kind === 'unchanged'
            ? { packageName, written: false, recorded: relativeOrNull(result.recorded) }
            : { packageName, written: true, file: relative(io.cwd, result.file), downFile: relative(io.cwd, result.downFile), statements: result.statements },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (result.kind === 'unchanged') {
      io.out(`${packageName}: the schema matches the last migration; nothing to generate.`);
      if (result.recorded) io.out(`Recorded the schema's fingerprint in ${relative(io.cwd, result.recorded)}, so db check can tell it is unchanged without drizzle-kit.`);
    } else {
      io.out(`${packageName}: wrote ${relative(io.cwd, result.file)} (${result.statements.length} statements) and ${relative(io.cwd, result.downFile)}. Review them and commit them.`);
    }
    return EXIT.ok;
  },
};

/** Where the package's migrations are written; an installed copy is a usage error (exit 2). */
function sourceRootOf(packageName: string, configFile: string): string {
  try {
    return packageSourceRoot(packageName, configFile);
  } catch (error) {
    if (error instanceof InstalledPackageError) throw new UsageError(error.message);
    throw error;
  }
}
