import { packagesInOrder } from '../../lib/migrations/migrate-database';
import { EXIT } from '../cli-io';
import type { Command } from '../command';
import { loadHost } from '../host';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options';
import { renderViolations } from '../render-violations';

export const dbCheck: Command = {
  name: 'db check',
  summary: 'validate every package schema and dependency (no database needed)',
  usage: `Usage: ydtb db check [options]

Validates every installed package against the schema rules and checks that their
dependencies can be ordered. Exits 0 when valid (warnings allowed), 3 when not.

${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, DATABASE_OPTIONS);
    const { registry } = await loadHost(io.cwd, values.config);
    const ordered = packagesInOrder(registry);
    const warnings = registry.list().flatMap((p) => p.warnings);
    if (warnings.length > 0) io.out(`${renderViolations(warnings)}\n`);
    io.out(`OK: ${ordered.length} packages valid, in migration order: ${ordered.map((p) => p.registration.packageName).join(' -> ')}` +
      (warnings.length ? ` (${warnings.length} warnings)` : ''));
    return EXIT.ok;
  },
};
