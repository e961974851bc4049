import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LegendEntry } from './legend';

/*
 * A standalone page that draws a Mermaid diagram with no network at all: the Mermaid bundle is
 * inlined, and a Content-Security-Policy forbids every fetch, so the page behaves the same on a
 * laptop on a plane as in CI. The legend and the diagram source are plain HTML, readable
 * without JavaScript.
 */

/** Everything the page may load: its own inline script and styles, and data: images and fonts. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

export function toHtmlPage(mermaidText: string, title: string, legend: readonly LegendEntry[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
  #diagram { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; }
  #diagram[data-state="failed"] { color: #b42318; white-space: pre-wrap; font-family: monospace; }
  code, pre { font-family: ui-monospace, monospace; }
  pre { background: #f6f8fa; padding: 1rem; overflow: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="diagram" data-state="pending">The diagram is drawn with JavaScript; the tables are listed below.</div>
<section id="legend">
<h2>Packages and tables</h2>
${legendHtml(legend)}
</section>
<details>
<summary>Mermaid source</summary>
<pre id="diagram-source">
${escapeHtml(mermaidText)}</pre>
</details>
<script>${scriptSafe(mermaidBundle())}</script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}

/*
 * Reads the diagram back from the <pre> (textContent undoes the HTML escaping exactly; the
 * parser drops the newline right after <pre>) and reports the outcome in data-state, which
 * tests wait for.
 */
const RENDER_SCRIPT = `
(async () => {
  const target = document.getElementById('diagram');
  try {
    const text = document.getElementById('diagram-source').textContent;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const { svg } = await mermaid.render('er-diagram', text);
    target.innerHTML = svg;
    target.dataset.state = 'rendered';
  } catch (error) {
    target.textContent = 'The diagram could not be drawn: ' + (error && error.message ? error.message : String(error));
    target.dataset.state = 'failed';
  }
})();
`;

function legendHtml(legend: readonly LegendEntry[]): string {
  if (legend.length === 0) return '<p>No packages.</p>';
  const items = legend.map((entry) => {
    const tables = entry.tables.length
      ? `<ul>${entry.tables.map((t) => `<li><code>${escapeHtml(t)}</code></li>`).join('')}</ul>`
      : ' (no tables)';
    return `<li><strong>${escapeHtml(entry.packageName)}</strong> ${escapeHtml(entry.version)}${tables}</li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

let bundle: string | undefined;

/** Mermaid's self-contained browser build (an IIFE that sets `globalThis.mermaid`), read once. */
function mermaidBundle(): string {
  bundle ??= readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8');
  return bundle;
}

/**
 * Script text that cannot end its <script> element early: `</script` would close it and `<!--`
 * can switch the HTML parser into a state where the real `</script>` no longer does. Both
 * rewrites mean the same inside JavaScript strings, regular expressions and template literals,
 * the only places a minified bundle has them.
 */
export function scriptSafe(script: string): string {
  return script.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '\\x3C!--');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
