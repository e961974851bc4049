import { join } from 'node:path';
import { packagesInOrder } from '../../lib/migrations/migrate-database';
import { lintMigrations } from '../../lib/migrations/migration-lint';
import { MigrationLintError } from '../../lib/migrations/migration-lint-error';
import { planMigrations } from '../../lib/migrations/migration-plan';
import { resolvePackageRoot } from '../../lib/migrations/package-root';
import type { RegisteredPackage } from '../../types/database-registry';
import { EXIT } from '../cli-io';
import type { Command } from '../command';
import { loadHost } from '../host';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options';
import { renderAmbiguousChange } from '../render-schema-choices';
import { renderViolations } from '../render-violations';

/** What to say of each package whose schema moved on since its last generated migration. */
async function packagesWithUngeneratedChanges(packages: readonly RegisteredPackage[]) {
  // drizzle-kit is large: load it only for the commands that diff schemas, not on every start.
  const { ungeneratedChanges, AmbiguousChangeError } = await import('../../lib/migrations/generate-migration');
  const stale: string[] = [];
  for (const { registration } of packages) {
    const name = registration.packageName;
    const folder = join(resolvePackageRoot(name), 'migrations');
    const changes = await ungeneratedChanges(name, registration.schema, folder).catch((error: unknown) => {
      if (error instanceof AmbiguousChangeError) return renderAmbiguousChange(error);
      throw error;
    });
    if (typeof changes === 'string') stale.push(changes);
    else if (changes.length > 0) stale.push(`${name}: its Drizzle schema has ${changes.length} changes no migration covers. Run: ydtb db generate ${name}`);
  }
  return stale;
}

export const dbCheck: Command = {
  name: 'db check',
  summary: 'validate every package schema and dependency (no database needed)',
  usage: `Usage: ydtb db check [options]

Validates every installed package against the schema rules, checks that their
dependencies can be ordered and that each package's checked-in migrations cover its
Drizzle schema, and that no migration controls the transaction or the role.
Exits 0 when valid (warnings allowed), 3 when not.

${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, DATABASE_OPTIONS);
    const { registry } = await loadHost(io.cwd, values.config);
    const ordered = packagesInOrder(registry);
    const warnings = registry.list().flatMap((p) => p.warnings);
    if (warnings.length > 0) io.out(`${renderViolations(warnings)}\n`);
    // Every shipped migration, as if none had run: the SQL a fresh database would execute.
    const findings = await lintMigrations(planMigrations(ordered, []).packages.map((p) => ({ packageName: p.packageName, migrations: p.pending })));
    if (findings.length > 0) throw new MigrationLintError(findings);
    const stale = await packagesWithUngeneratedChanges(ordered);
    if (stale.length > 0) {
      io.err(stale.join('\n'));
      return EXIT.invalid;
    }
    io.out(`OK: ${ordered.length} packages valid, in migration order: ${ordered.map((p) => p.registration.packageName).join(' -> ')}` +
      (warnings.length ? ` (${warnings.length} warnings)` : ''));
    return EXIT.ok;
  },
};
