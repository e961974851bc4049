import { packagesInOrder, planDatabase, ChecksumMismatchError, lintPending, pendingCount } from '@ydtb/core/tooling';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { renderFindings } from '../render-findings.ts';
import { withDatabase } from '../with-database.ts';

export const dbPlan: Command = {
  name: 'db plan',
  summary: 'show the migrations migrate would run, in order, with their SQL',
  usage: `Usage: ydtb db plan [--json] [options]

Reads the migration history and prints, package by package in migration order, the
pending migrations and their SQL, then what the migration lint finds in them (the
checks of ydtb db check on the pending migrations only: applied ones are history).
Changes nothing. Exit codes: 0 ok (warnings allowed), 1 an applied migration was edited
or the database cannot be reached, 3 a pending migration has an error finding: migrate
would refuse it.

  --json             print one JSON object instead of text, findings included
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, json: { type: 'boolean' } });
    const { registry, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const plan = await planDatabase(client, registry);
      const findings = await lintPending(plan, packagesInOrder(registry));
      const refused = findings.some((f) => f.severity === 'error');
      if (values.json) {
        io.out(JSON.stringify({ database: description, pending: pendingCount(plan), ...plan, findings }, null, 2));
        return plan.mismatches.length ? EXIT.failed : refused ? EXIT.invalid : EXIT.ok;
      }
      if (plan.mismatches.length) throw new ChecksumMismatchError(plan.mismatches);
      io.out(`Plan for ${description}: ${pendingCount(plan)} pending migrations.`);
      plan.packages.forEach((pkg, index) => {
        const state = pkg.pending.length ? `${pkg.pending.length} pending` : 'up to date';
        io.out(`${index + 1}. ${pkg.packageName} ${pkg.version}: ${state}`);
        for (const migration of pkg.pending) {
          io.out(`   -- ${migration.id} (sha256 ${migration.checksum.slice(0, 12)})`);
          io.out(migration.sql.trim().replace(/^/gm, '   '));
        }
      });
      if (findings.length) io.out(`Migration lint${refused ? ' (migrate would refuse these migrations)' : ''}:\n${renderFindings(findings)}`);
      return refused ? EXIT.invalid : EXIT.ok;
    });
  },
};
