import { escapeHtml } from './escape-html.ts';
import type { ErRelationship } from './er-model.ts';
import {
  columnFlags,
  FONT_SIZE,
  HEADER_HEIGHT,
  PADDING,
  referenceNote,
  ROW_HEIGHT,
  type Box,
  type Line,
  type PackageLayout,
  type ReferenceBox,
  type TableBox,
} from './er-layout.ts';

/*
 * One package's picture as an SVG element for an HTML page: a box a table (`g.er-table`, its
 * name in the header, then a row a column: name, type, keys and "nullable"), a dashed box a
 * table of another package it references (`a.er-reference`, a link to that table's box), and a
 * line a foreign key with crow's-foot ends. The line ends are markers defined once a page, in
 * ER_MARKERS. Everything is text in the page: no script draws it.
 */

/** The `<defs>` of the line ends, in a hidden SVG placed once before the pictures. */
export const ER_MARKERS = `<svg width="0" height="0" aria-hidden="true" style="position:absolute">
<defs>
<marker id="er-one" viewBox="0 -8 20 16" refX="20" refY="0" markerWidth="20" markerHeight="16" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M11-6V6M15-6V6" class="er-mark"/></marker>
<marker id="er-zero-one" viewBox="0 -8 20 16" refX="20" refY="0" markerWidth="20" markerHeight="16" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><circle cx="6" cy="0" r="4" class="er-mark er-ring"/><path d="M15-6V6" class="er-mark"/></marker>
<marker id="er-zero-many" viewBox="0 -8 20 16" refX="20" refY="0" markerWidth="20" markerHeight="16" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><circle cx="6" cy="0" r="4" class="er-mark er-ring"/><path d="M11 0L20-6M11 0L20 6M11 0H20" class="er-mark"/></marker>
</defs>
</svg>`;

/** Styles of the pictures, for the page's `<style>`. */
export const ER_STYLES = `
  svg.er { display: block; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: ${FONT_SIZE}px; }
  svg.er .er-box { fill: #ffffff; stroke: #57606a; }
  svg.er .er-head { fill: #ddf4ff; stroke: #57606a; }
  svg.er .er-reference .er-box, svg.er .er-reference .er-head { fill: #f6f8fa; stroke-dasharray: 4 3; }
  svg.er .er-name { font-weight: bold; fill: #1f2328; }
  svg.er .er-type, svg.er .er-note { fill: #57606a; }
  svg.er .er-flags { fill: #8250df; }
  svg.er .er-line { fill: none; stroke: #57606a; stroke-width: 1.2; }
  svg.er .er-line.er-optional { stroke-dasharray: 5 4; }
  .er-mark { fill: none; stroke: #57606a; stroke-width: 1.2; }
  .er-ring { fill: #ffffff; }
  svg.er a:hover .er-head { fill: #b6e3ff; }
`;

/** The SVG element of a laid-out package; `label` is its accessible name. */
export function packageSvg(layout: PackageLayout, label: string): string {
  const parts = [
    `<svg class="er" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="${escapeHtml(label)}">`,
    '<g class="er-lines">',
    ...layout.lines.map(lineSvg),
    '</g>',
    ...layout.boxes.map(boxSvg),
    '</svg>',
  ];
  return parts.join('\n');
}

function lineSvg(line: Line): string {
  const r = line.relationship;
  const kind = r.identifying ? 'er-identifying' : 'er-optional';
  const title = `${r.parent} → ${r.child} (${r.columns.join(', ')})`;
  return `<path class="er-line ${kind}" d="${line.path}" marker-start="url(#${parentMarker(r)})" marker-end="url(#${childMarker(r)})"><title>${escapeHtml(title)}</title></path>`;
}

function parentMarker(r: ErRelationship): string {
  return r.parentSide === 'one' ? 'er-one' : 'er-zero-one';
}

function childMarker(r: ErRelationship): string {
  return r.childSide === 'many' ? 'er-zero-many' : 'er-zero-one';
}

function boxSvg(box: Box): string {
  return box.kind === 'table' ? tableSvg(box) : referenceSvg(box);
}

function tableSvg(box: TableBox): string {
  const rows = box.columns.map((column, i) => {
    const y = HEADER_HEIGHT + ROW_HEIGHT * i + ROW_HEIGHT / 2;
    const flags = columnFlags(column);
    return [
      text(PADDING, y, 'er-column', column.name),
      text(box.typeX, y, 'er-type', column.type),
      flags ? text(box.flagsX, y, 'er-flags', flags) : '',
    ].join('');
  });
  return [
    `<g class="er-table" id="${escapeHtml(box.anchor)}" transform="translate(${box.x} ${box.y})">`,
    `<title>${escapeHtml(box.name)}</title>`,
    `<rect class="er-box" width="${box.width}" height="${box.height}" rx="4"/>`,
    `<rect class="er-head" width="${box.width}" height="${HEADER_HEIGHT}" rx="4"/>`,
    text(PADDING, HEADER_HEIGHT / 2, 'er-name', box.name),
    ...rows,
    '</g>',
  ].join('');
}

function referenceSvg(box: ReferenceBox): string {
  const body = [
    `<g class="er-reference-box" transform="translate(${box.x} ${box.y})">`,
    `<title>${escapeHtml(`${box.name}, ${referenceNote(box.packageName)}`)}</title>`,
    `<rect class="er-box" width="${box.width}" height="${box.height}" rx="4"/>`,
    `<rect class="er-head" width="${box.width}" height="${HEADER_HEIGHT}" rx="4"/>`,
    text(PADDING, HEADER_HEIGHT / 2, 'er-name', box.name),
    text(PADDING, HEADER_HEIGHT + ROW_HEIGHT / 2, 'er-note', referenceNote(box.packageName)),
    '</g>',
  ].join('');
  return box.anchor === undefined
    ? `<g class="er-reference">${body}</g>`
    : `<a class="er-reference" href="#${escapeHtml(box.anchor)}">${body}</a>`;
}

function text(x: number, y: number, className: string, content: string): string {
  return `<text class="${className}" x="${Math.round(x * 10) / 10}" y="${y}" dominant-baseline="central">${escapeHtml(content)}</text>`;
}
