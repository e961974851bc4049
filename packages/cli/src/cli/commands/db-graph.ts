import { resolve } from 'node:path';
import { writeFileAtomic } from '@ydtb/core/tooling';
import { erFigures } from '../../lib/graph/er-figures.ts';
import { erModel } from '../../lib/graph/er-model.ts';
import { toHtmlPage } from '../../lib/graph/html-page.ts';
import { toMermaidEr } from '../../lib/graph/mermaid-er.ts';
import { EXIT } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { loadHost } from '../host.ts';
import { DATABASE_OPTIONS, parseOptions } from '../parse-options.ts';
import { UsageError } from '../usage-error.ts';
import { plural } from '../render-transfer.ts';

const FORMATS = ['mermaid', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const dbGraph: Command = {
  name: 'db graph',
  summary: 'draw every registered table and foreign key (Mermaid ER diagram or HTML page)',
  usage: `Usage: ydtb db graph [--format mermaid|html|json] [--json] [--out <file>] [options]

Draws the entity-relationship diagram of every registered package's tables, grouped by
package (core first), with a relationship for every foreign key. No database needed.

  --format <format>  mermaid (default): Mermaid erDiagram text
                     html: a standalone page, one SVG picture a package, drawn by this
                     command (no script or network needed to view it; the Mermaid text
                     is included)
                     json: the model drawn, as data: { packages (tables, columns
                     with their keys), relationships (one a foreign key) }
  --json             the same as --format json
  --out <file>       write to this file (parent folders are created) instead of stdout
  --config <file>    the deployment's config (default export: defineConfig({ packages }))
                     (default the nearest ydtb.config.ts: working directory, then folders above)
  -h, --help         show this help`,
  async run(args, io) {
    const { values } = parseOptions(args, {
      format: { type: 'string', default: 'mermaid' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      config: DATABASE_OPTIONS.config,
      help: DATABASE_OPTIONS.help,
    });
    if (values.help) {
      io.out(dbGraph.usage);
      return EXIT.ok;
    }
    if (values.json && values.format !== 'mermaid' && values.format !== 'json') throw new UsageError(`--json is --format json; it cannot go with --format ${values.format}.`);
    const format = values.json ? 'json' : parseFormat(values.format);
    const { registry } = await loadHost(io.cwd, values.config);
    const packages = registry.all();
    const diagram = toMermaidEr(packages);
    const tableCount = packages.reduce((n, p) => n + p.tables.length, 0);
    const content =
      format === 'html'
        ? toHtmlPage(`ydtb database: ${packages.length} packages, ${tableCount} tables`, erFigures(packages), diagram)
        : format === 'json'
          ? `${JSON.stringify(erModel(packages), null, 2)}\n`
          : diagram;
    if (values.out === undefined) {
      io.out(content.replace(/\n$/, ''));
      return EXIT.ok;
    }
    if (values.out === '') throw new UsageError('--out needs a file name.');
    const file = resolve(io.cwd, values.out);
    await writeFileAtomic(file, content);
    io.out(`Wrote the ${format} diagram of ${plural(packages.length, 'package')} (${plural(tableCount, 'table')}) to ${file}`);
    return EXIT.ok;
  },
};

function parseFormat(value: string | undefined): Format {
  const format = FORMATS.find((f) => f === value);
  if (!format) throw new UsageError(`--format must be ${FORMATS.join(' or ')}, not "${value}".`);
  return format;
}
