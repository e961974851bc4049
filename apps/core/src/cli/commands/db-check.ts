import { join } from 'node:path';
import { packagesInOrder } from '../../lib/migrations/migrate-database';
import { resolvePackageRoot } from '../../lib/migrations/package-root';
import { globalTablesOf, type GlobalTable } from '../../lib/registry/global-tables';
import { SchemaValidationError } from '../../lib/registry/schema-validation-error';
import type { RegisteredPackage } from '../../types/database-registry';
import { EXIT } from '../cli-io';
import type { Command } from '../command';
import { loadHost } from '../host';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options';
import { renderViolations } from '../render-violations';

/** Packages whose schema moved on since their last generated migration. */
async function packagesWithUngeneratedChanges(packages: readonly RegisteredPackage[]) {
  // drizzle-kit is large: load it only for the commands that diff schemas, not on every start.
  const { ungeneratedChanges } = await import('../../lib/migrations/generate-migration');
  const stale: { name: string; count: number }[] = [];
  for (const { registration } of packages) {
    const folder = join(resolvePackageRoot(registration.packageName), 'migrations');
    const changes = await ungeneratedChanges(registration.packageName, registration.schema, folder);
    if (changes.length > 0) stale.push({ name: registration.packageName, count: changes.length });
  }
  return stale;
}

export const dbCheck: Command = {
  name: 'db check',
  summary: 'validate every package schema and dependency (no database needed)',
  usage: `Usage: ydtb db check [--json] [options]

Validates every installed package against the schema rules, checks that their
dependencies can be ordered and that each package's checked-in migrations cover its
Drizzle schema, and lists the tables packages declare global (shared by every
workspace) with their reasons. Exits 0 when valid (warnings allowed), 3 when not.

  --json             print one JSON object instead of text: { valid, order, warnings,
                     globalTables, uncovered } or { valid: false, violations }
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, json: { type: 'boolean' } });
    if (values.json) return checkAsJson(io, values.config);
    const { registry } = await loadHost(io.cwd, values.config);
    const ordered = packagesInOrder(registry);
    const warnings = registry.list().flatMap((p) => p.warnings);
    if (warnings.length > 0) io.out(`${renderViolations(warnings)}\n`);
    const globalTables = globalTablesOf(ordered);
    if (globalTables.length > 0) io.out(`${renderGlobalTables(globalTables)}\n`);
    const stale = await packagesWithUngeneratedChanges(ordered);
    if (stale.length > 0) {
      io.err(stale.map(({ name, count }) => `${name}: its Drizzle schema has ${count} changes no migration covers. Run: ydtb db generate ${name}`).join('\n'));
      return EXIT.invalid;
    }
    io.out(`OK: ${ordered.length} packages valid, in migration order: ${ordered.map((p) => p.registration.packageName).join(' -> ')}` +
      (warnings.length ? ` (${warnings.length} warnings)` : ''));
    return EXIT.ok;
  },
};

/** Global tables and why, one line each: a reviewer reads them. */
function renderGlobalTables(tables: readonly GlobalTable[]): string {
  return ['Global tables (no workspace\'s data; every workspace may read them):', ...tables.map((t) => `  ${t.packageName} ${t.table}: ${t.reason}`)].join('\n');
}

async function checkAsJson(io: Parameters<Command['run']>[1], config: string | undefined): Promise<number> {
  let registry;
  try {
    ({ registry } = await loadHost(io.cwd, config));
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    io.out(JSON.stringify({ valid: false, violations: error.violations }, null, 2));
    return EXIT.invalid;
  }
  const ordered = packagesInOrder(registry);
  const uncovered = (await packagesWithUngeneratedChanges(ordered)).map(({ name, count }) => ({ packageName: name, changes: count }));
  io.out(JSON.stringify({
    valid: uncovered.length === 0,
    order: ordered.map((p) => p.registration.packageName),
    warnings: registry.list().flatMap((p) => p.warnings),
    globalTables: globalTablesOf(ordered),
    uncovered,
  }, null, 2));
  return uncovered.length ? EXIT.invalid : EXIT.ok;
}
