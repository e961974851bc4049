import { join } from 'node:path';
import { packagesInOrder, lintPending, MigrationLintError, planMigrations, resolvePackageRoot, globalTablesOf, type GlobalTable, SchemaValidationError } from '@ydtb/core/tooling';
import type { RegisteredPackage } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderAmbiguousChange } from '../render-schema-choices.ts';
import { renderFindings } from '../render-findings.ts';
import { renderViolations } from '../render-violations.ts';
import { schemaMatchesRecord, toolVersions } from '../../lib/migrations/generate/fingerprint-record.ts';
import { plural } from '../render-transfer.ts';

/** A package whose schema moved on since its last generated migration, and what to tell its author. */
interface Uncovered {
  readonly packageName: string;
  /** Statements a migration generated now would hold; absent when a rename or drop must be chosen first. */
  readonly changes?: number;
  readonly message: string;
}

async function packagesWithUngeneratedChanges(packages: readonly RegisteredPackage[], configFile: string): Promise<Uncovered[]> {
  // A package whose schema has the fingerprint recorded with its latest snapshot is covered;
  // drizzle-kit (large and slow to load) diffs only the others.
  const installed = toolVersions();
  const unsure = packages
    .map(({ registration }) => ({ registration, folder: join(resolvePackageRoot(registration.packageName, configFile), 'migrations') }))
    .filter(({ registration, folder }) => !schemaMatchesRecord(registration.packageName, registration.schema, folder, installed));
  if (unsure.length === 0) return [];
  const { ungeneratedChanges, AmbiguousChangeError } = await import('../../lib/migrations/generate-migration.ts');
  const stale: Uncovered[] = [];
  for (const { registration, folder } of unsure) {
    const packageName = registration.packageName;
    const changes = await ungeneratedChanges(packageName, registration.schema, folder).catch((error: unknown) => {
      if (error instanceof AmbiguousChangeError) return renderAmbiguousChange(error);
      throw error;
    });
    if (typeof changes === 'string') stale.push({ packageName, message: changes });
    else if (changes.length > 0) {
      stale.push({ packageName, changes: changes.length, message: `${packageName}: its Drizzle schema has ${changes.length} changes no migration covers. Run: ydtb db generate ${packageName}` });
    }
  }
  return stale;
}

/** Every shipped migration, as if none had run: the SQL a fresh database would execute. */
async function unsafeStatements(packages: readonly RegisteredPackage[]) {
  return lintPending(planMigrations(packages, []), packages);
}

export const dbCheck: Command = {
  name: 'db check',
  summary: 'validate every package schema and dependency (no database needed)',
  usage: `Usage: ydtb db check [--json] [options]

Validates every installed package against the schema rules, checks that their
dependencies can be ordered, that each package's checked-in migrations cover its
Drizzle schema, that no migration controls the transaction or the role, and runs the
safety lint on every shipped migration (drops, renames, table rewrites, NOT NULL columns
without a default, locking indexes and constraints, row-level security, policy and grant
changes; a migration allows a finding with -- ydtb:allow <rule> <reason>), and lists the
tables packages declare global (shared by every workspace) with their reasons.
Exits 0 when valid (warnings allowed), 3 when not.

  --json             print one JSON object instead of text: { valid, order, warnings,
                     globalTables, uncovered, unsafeStatements (every migration finding,
                     errors and warnings) } or { valid: false, violations }
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, json: { type: 'boolean' } });
    if (values.json) return checkAsJson(io, values.config);
    const { registry, configFile } = await loadHost(io.cwd, values.config);
    const ordered = packagesInOrder(registry);
    const warnings = registry.list().flatMap((p) => p.warnings);
    if (warnings.length > 0) io.out(`${renderViolations(warnings)}\n`);
    const findings = await unsafeStatements(ordered);
    const lintWarnings = findings.filter((f) => f.severity === 'warning');
    if (lintWarnings.length > 0) io.out(`Migration warnings (they never block):\n${renderFindings(lintWarnings)}`);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new MigrationLintError(errors);
    const globalTables = globalTablesOf(ordered);
    if (globalTables.length > 0) io.out(`${renderGlobalTables(globalTables)}\n`);
    const stale = await packagesWithUngeneratedChanges(ordered, configFile);
    if (stale.length > 0) {
      io.err(stale.map((s) => s.message).join('\n'));
      return EXIT.invalid;
    }
    const warned = warnings.length + lintWarnings.length;
    io.out(`OK: ${plural(ordered.length, 'package')} valid, in migration order: ${ordered.map((p) => p.registration.packageName).join(' -> ')}` +
      (warned ? ` (${plural(warned, 'warning')})` : ''));
    return EXIT.ok;
  },
};

/** Global tables and why, one line each: a reviewer reads them. */
function renderGlobalTables(tables: readonly GlobalTable[]): string {
  return ['Global tables (no workspace\'s data; every workspace may read them):', ...tables.map((t) => `  ${t.packageName} ${t.table}: ${t.reason}`)].join('\n');
}

async function checkAsJson(io: Parameters<Command['run']>[1], config: string | undefined): Promise<number> {
  let registry, configFile;
  try {
    ({ registry, configFile } = await loadHost(io.cwd, config));
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    io.out(JSON.stringify({ valid: false, violations: error.violations }, null, 2));
    return EXIT.invalid;
  }
  const ordered = packagesInOrder(registry);
  const unsafe = await unsafeStatements(ordered);
  const refused = unsafe.some((f) => f.severity === 'error');
  // As in text: refused statements come first; coverage is checked once the SQL is acceptable.
  const uncovered = refused ? [] : await packagesWithUngeneratedChanges(ordered, configFile);
  const valid = uncovered.length === 0 && !refused;
  io.out(JSON.stringify({
    valid,
    order: ordered.map((p) => p.registration.packageName),
    warnings: registry.list().flatMap((p) => p.warnings),
    globalTables: globalTablesOf(ordered),
    uncovered,
    unsafeStatements: unsafe,
  }, null, 2));
  return valid ? EXIT.ok : EXIT.invalid;
}
