import { planDatabase } from '@ydtb/core/internal/lib/migrations/migrate-database';
import { ChecksumMismatchError } from '@ydtb/core/internal/lib/migrations/checksum-mismatch-error';
import { pendingCount } from '@ydtb/core/internal/lib/migrations/migration-plan';
import { EXIT } from '../cli-io';
import type { Command } from '../command';
import { loadHost } from '../host';
import { DATABASE_USAGE, DATABASE_OPTIONS, parseOptions } from '../parse-options';
import { withDatabase } from '../with-database';

export const dbPlan: Command = {
  name: 'db plan',
  summary: 'show the migrations migrate would run, in order, with their SQL',
  usage: `Usage: ydtb db plan [--json] [options]

Reads the migration history and prints, package by package in migration order, the
pending migrations and their SQL. Changes nothing.

  --json             print one JSON object instead of text
${DATABASE_USAGE}`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...DATABASE_OPTIONS, json: { type: 'boolean' } });
    const { registry, projectDir } = await loadHost(io.cwd, values.config);
    return withDatabase(io, { dataDir: values['data-dir'], projectDir }, async ({ client, description }) => {
      const plan = await planDatabase(client, registry);
      if (values.json) {
        io.out(JSON.stringify({ database: description, pending: pendingCount(plan), ...plan }, null, 2));
        return plan.mismatches.length ? EXIT.failed : EXIT.ok;
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
      return EXIT.ok;
    });
  },
};
