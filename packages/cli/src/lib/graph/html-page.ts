import type { PackageFigure } from './er-figures.ts';
import { ER_MARKERS, ER_STYLES } from './er-svg.ts';
import { escapeHtml } from './escape-html.ts';

/*
 * A standalone page of the pictures, one a package, drawn by the CLI as inline SVG: the page
 * loads nothing, needs no script to show them, and stays small (a few kilobytes a table). A
 * Content-Security-Policy forbids every fetch, so it behaves the same on a laptop on a plane as
 * in CI. One small script counts the tables the browser actually shows in each picture: only
 * when every listed table is there does the page say so (`data-state="rendered"`); otherwise it
 * says which are missing (`data-state="failed"`). The index of packages and tables and the
 * Mermaid source are plain HTML.
 */

/** Everything the page may load: its own inline script and styles. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";

export function toHtmlPage(title: string, figures: readonly PackageFigure[], mermaidText: string): string {
  const tableCount = figures.reduce((n, f) => n + f.tables.length, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
  #diagram-status { padding: 0.5rem 0.75rem; border-radius: 6px; background: #f6f8fa; }
  #diagram[data-state="failed"] #diagram-status { color: #b42318; background: #fef3f2; border: 1px solid #b42318; font-weight: bold; white-space: pre-wrap; }
  figure.er-package { margin: 1.5rem 0; }
  figure.er-package > div { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; }
  figcaption { font-weight: bold; margin-bottom: 0.5rem; }
  code, pre { font-family: ui-monospace, monospace; }
  pre { background: #f6f8fa; padding: 1rem; overflow: auto; }
${ER_STYLES}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${ER_MARKERS}
<main id="diagram" data-state="pending" data-tables="${tableCount}">
<p id="diagram-status">${tableCount} tables in ${figures.length} packages, one picture a package below.</p>
${figures.map(figureHtml).join('\n')}
</main>
<section id="legend">
<h2>Packages and tables</h2>
${legendHtml(figures)}
</section>
<details>
<summary>Mermaid source</summary>
<pre id="diagram-source">
${escapeHtml(mermaidText)}</pre>
</details>
<script>${CHECK_SCRIPT}</script>
</body>
</html>
`;
}

function figureHtml(figure: PackageFigure): string {
  const caption = `<figcaption>${escapeHtml(figure.packageName)} ${escapeHtml(figure.version)}</figcaption>`;
  const body = figure.svg === undefined ? '<p>No tables.</p>' : `<div>${figure.svg}</div>`;
  return `<figure class="er-package" data-package="${escapeHtml(figure.packageName)}" data-tables="${figure.tables.length}">${caption}${body}</figure>`;
}

/*
 * Counts, per picture, the table boxes the browser holds against the tables the package
 * registered (a picture cut short, or markup the parser dropped, shows fewer), and reports the
 * outcome in data-state, which tests wait for.
 */
const CHECK_SCRIPT = `
(() => {
  const main = document.getElementById('diagram');
  const status = document.getElementById('diagram-status');
  const short = [];
  let drawn = 0;
  const figures = main.querySelectorAll('figure.er-package');
  for (const figure of figures) {
    const wanted = Number(figure.dataset.tables);
    const shown = figure.querySelectorAll('svg.er g.er-table').length;
    drawn += shown;
    if (shown !== wanted) short.push(figure.dataset.package + ': ' + shown + ' of ' + wanted + ' tables shown');
  }
  if (short.length > 0) {
    status.textContent = 'The diagram could not be drawn completely (' + short.join('; ') + '). Every table is listed under "Packages and tables" below.';
    main.dataset.state = 'failed';
  } else {
    status.textContent = 'Drawn: ' + drawn + ' tables in ' + figures.length + ' packages, one picture a package below.';
    main.dataset.state = 'rendered';
  }
})();
`;

function legendHtml(figures: readonly PackageFigure[]): string {
  if (figures.length === 0) return '<p>No packages.</p>';
  const items = figures.map((figure) => {
    const link = (t: string) => `<li><a href="#${escapeHtml(figure.anchors.get(t) ?? '')}"><code>${escapeHtml(t)}</code></a></li>`;
    const tables = figure.tables.length ? `<ul>${figure.tables.map(link).join('')}</ul>` : ' (no tables)';
    return `<li><strong>${escapeHtml(figure.packageName)}</strong> ${escapeHtml(figure.version)}${tables}</li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}
