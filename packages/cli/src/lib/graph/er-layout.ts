import type { ErColumn, ErModel, ErRelationship } from './er-model.ts';
import { compareNames } from './table-name.ts';

/*
 * Where each box and line of one package's picture goes. The package's tables are placed in
 * columns by foreign key depth (a table right of every table of its package it references);
 * the tables of other packages it references are drawn once, as small boxes in the first
 * column, so a relationship across packages is a line to that box rather than a line across the
 * page. Text is monospace, so a box's width follows from the number of characters it holds.
 * It is plain arithmetic, linear in the package's tables and foreign keys: a thousand tables
 * lay out in milliseconds, and the page needs no layout engine.
 */

export const FONT_SIZE = 12;
/** Advance of one character of the monospace font at FONT_SIZE (0.6 em in the common ones), with a margin. */
const CHAR_WIDTH = 7.4;
export const HEADER_HEIGHT = 24;
export const ROW_HEIGHT = 18;
export const PADDING = 8;
const CELL_GAP = 14;
const COLUMN_GAP = 80;
const BOX_GAP = 16;
const MARGIN = 12;
/** Room right of the last column for lines that loop back (self references, cycles). */
const LOOP_ROOM = 48;

export interface TableBox {
  readonly kind: 'table';
  readonly name: string;
  readonly anchor: string;
  readonly columns: readonly ErColumn[];
  /** x offsets of the type and flags cells inside the box. */
  readonly typeX: number;
  readonly flagsX: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A table of another package (or of none) that this package references. */
export interface ReferenceBox {
  readonly kind: 'reference';
  readonly name: string;
  /** The anchor of its full drawing, when some package registered it. */
  readonly anchor: string | undefined;
  readonly packageName: string | undefined;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Box = TableBox | ReferenceBox;

export interface Line {
  readonly relationship: ErRelationship;
  /** SVG path data from the parent's side to the child's. */
  readonly path: string;
}

export interface PackageLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
  readonly lines: readonly Line[];
}

/** Flag text of a column: its keys, and "nullable" when it is. */
export function columnFlags(column: ErColumn): string {
  return [...column.keys, ...(column.nullable ? ['nullable'] : [])].join(', ');
}

/** Width of text in the monospace font; characters of wide scripts count twice. */
export function textWidth(text: string): number {
  let units = 0;
  for (const ch of text) units += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return units * CHAR_WIDTH;
}

type Unplaced = Omit<TableBox, 'x' | 'y'> | Omit<ReferenceBox, 'x' | 'y'>;

/**
 * The layout of package `index` of the model. `anchors` names the element of every registered
 * table's full drawing; `owners` the package that registered each table.
 */
export function layoutPackage(
  model: ErModel,
  index: number,
  anchors: ReadonlyMap<string, string>,
  owners: ReadonlyMap<string, string>,
): PackageLayout {
  const pkg = model.packages[index]!;
  const own = new Set(pkg.tables.map((t) => t.name));
  const relationships = model.relationships.filter((r) => own.has(r.child));
  const references = [...new Set(relationships.map((r) => r.parent).filter((p) => !own.has(p)))].sort(compareNames);

  const unplaced = new Map<string, Unplaced>();
  for (const name of references) unplaced.set(name, referenceBox(name, anchors.get(name), owners.get(name)));
  for (const table of pkg.tables) unplaced.set(table.name, tableBox(table.name, anchors.get(table.name)!, table.columns));

  const columns = columnsOf(pkg.tables.map((t) => t.name), references, relationships);
  const placed = new Map<string, Box>();
  let x = MARGIN;
  const heights = columns.map((names) => names.reduce((h, n) => h + unplaced.get(n)!.height, 0) + BOX_GAP * (names.length - 1));
  const height = Math.max(0, ...heights) + 2 * MARGIN;
  columns.forEach((names, c) => {
    const ordered = c === 0 ? names : byParents(names, relationships, placed);
    let y = MARGIN + (height - 2 * MARGIN - heights[c]!) / 2;
    let widest = 0;
    for (const name of ordered) {
      const box = unplaced.get(name)!;
      placed.set(name, { ...box, x, y } as Box);
      y += box.height + BOX_GAP;
      widest = Math.max(widest, box.width);
    }
    x += widest + COLUMN_GAP;
  });
  const width = x - COLUMN_GAP + MARGIN + LOOP_ROOM;
  const lines = relationships.map((r) => ({ relationship: r, path: linePath(placed.get(r.parent)!, placed.get(r.child)!, r) }));
  return { width: Math.ceil(width), height: Math.ceil(height), boxes: [...placed.values()], lines };
}

function tableBox(name: string, anchor: string, columns: readonly ErColumn[]): Omit<TableBox, 'x' | 'y'> {
  const widest = (texts: readonly string[]) => Math.max(0, ...texts.map(textWidth));
  const nameWidth = widest(columns.map((c) => c.name));
  const typeWidth = widest(columns.map((c) => c.type));
  const flagsWidth = widest(columns.map(columnFlags));
  const typeX = PADDING + nameWidth + CELL_GAP;
  const flagsX = typeX + typeWidth + CELL_GAP;
  const rowsWidth = flagsX + flagsWidth + PADDING;
  return {
    kind: 'table',
    name,
    anchor,
    columns,
    typeX,
    flagsX,
    width: Math.ceil(Math.max(rowsWidth, textWidth(name) + 2 * PADDING)),
    height: HEADER_HEIGHT + ROW_HEIGHT * columns.length + (columns.length > 0 ? PADDING / 2 : 0),
  };
}

function referenceBox(name: string, anchor: string | undefined, packageName: string | undefined): Omit<ReferenceBox, 'x' | 'y'> {
  return {
    kind: 'reference',
    name,
    anchor,
    packageName,
    width: Math.ceil(Math.max(textWidth(name), textWidth(referenceNote(packageName))) + 2 * PADDING),
    height: HEADER_HEIGHT + ROW_HEIGHT + PADDING / 2,
  };
}

/** The second line of a reference box. */
export function referenceNote(packageName: string | undefined): string {
  return packageName === undefined ? 'not registered' : `in ${packageName}`;
}

/**
 * Columns of table names: the referenced tables of other packages and the package's tables
 * that reference none of its own first, then each table one column right of the deepest of
 * its own tables it references. A foreign key that closes a cycle does not push a table right.
 */
function columnsOf(tables: readonly string[], references: readonly string[], relationships: readonly ErRelationship[]): string[][] {
  const own = new Set(tables);
  const parents = new Map<string, string[]>();
  for (const r of relationships) {
    if (own.has(r.parent) && r.parent !== r.child) parents.set(r.child, [...(parents.get(r.child) ?? []), r.parent]);
  }
  const referencesOther = new Set(relationships.filter((r) => !own.has(r.parent)).map((r) => r.child));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    visiting.add(name);
    let d = referencesOther.has(name) && references.length > 0 ? 1 : 0;
    for (const parent of parents.get(name) ?? []) if (!visiting.has(parent)) d = Math.max(d, depthOf(parent) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const columns: string[][] = [[...references]];
  for (const name of tables) {
    const d = depthOf(name);
    while (columns.length <= d) columns.push([]);
    columns[d]!.push(name);
  }
  return columns.filter((c) => c.length > 0);
}

/** A column's tables ordered by the mean height of the tables they reference, so lines cross less. */
function byParents(names: readonly string[], relationships: readonly ErRelationship[], placed: ReadonlyMap<string, Box>): string[] {
  const centre = new Map<string, number>();
  for (const name of names) {
    const ys = relationships
      .filter((r) => r.child === name && placed.has(r.parent))
      .map((r) => placed.get(r.parent)!)
      .map((b) => b.y + b.height / 2);
    centre.set(name, ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY);
  }
  return [...names].sort((a, b) => centre.get(a)! - centre.get(b)! || compareNames(a, b));
}

/** Height of the row of `column` in a box, or of its header when the box has no such row. */
function rowY(box: Box, column: string | undefined): number {
  if (box.kind === 'table') {
    const row = box.columns.findIndex((c) => c.name === column);
    if (row >= 0) return box.y + HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2;
  }
  return box.y + HEADER_HEIGHT / 2;
}

/**
 * From the parent's right side at its referenced column to the child's left side at its
 * foreign key column; to a box in the same or an earlier column (a self reference, a cycle),
 * a loop out of the parent's right side into the child's.
 */
function linePath(parent: Box, child: Box, r: ErRelationship): string {
  const y1 = rowY(parent, r.parentColumns[0]);
  const y2 = rowY(child, r.columns[0]);
  const x1 = parent.x + parent.width;
  if (child.x > parent.x) {
    const x2 = child.x;
    const bend = (x2 - x1) / 2;
    return `M${n(x1)} ${n(y1)}C${n(x1 + bend)} ${n(y1)} ${n(x2 - bend)} ${n(y2)} ${n(x2)} ${n(y2)}`;
  }
  const x2 = child.x + child.width;
  const out = Math.max(x1, x2) + LOOP_ROOM - 8;
  const end = y1 === y2 ? y2 + ROW_HEIGHT / 2 : y2;
  return `M${n(x1)} ${n(y1)}C${n(out)} ${n(y1)} ${n(out)} ${n(end)} ${n(x2)} ${n(end)}`;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}
