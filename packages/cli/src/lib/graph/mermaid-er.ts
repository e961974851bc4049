import type { RegisteredPackage } from '@ydtb/core/tooling';
import { ErNames } from './er-names.ts';
import { erModel, type ErModel, type ErRelationship, type ErTable } from './er-model.ts';
import { attributeComment, attributeWord, quoted } from './mermaid-syntax.ts';

/**
 * The Mermaid `erDiagram` of every table the given packages registered (pass core first:
 * `[registry.core, ...registry.list()]`). Tables are grouped per package, in the order given,
 * each group a `%% package <name>` comment and a subgraph (Mermaid 12 supports subgraphs in
 * ER diagrams); then one relationship per foreign key, parent first, labelled with the foreign
 * key's columns. The same packages always give the same text (see `erModel`).
 */
export function toMermaidEr(packages: readonly RegisteredPackage[]): string {
  return mermaidText(erModel(packages));
}

function mermaidText(model: ErModel): string {
  const names = new ErNames();
  // Tables are named first so they keep their own names; groups give way to them.
  for (const table of model.packages.flatMap((p) => p.tables)) names.of(tableKey(table.name), table.name);
  const lines = ['erDiagram'];
  for (const group of model.packages) {
    lines.push(`  %% package ${oneLine(group.packageName)}`);
    if (group.tables.length === 0) continue;
    const id = names.of(`package:${group.packageName}`, `pkg_${group.packageName.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`);
    lines.push(`  subgraph ${id}[${quoted(`${group.packageName} ${group.version}`)}]`);
    for (const table of group.tables) lines.push(...entityLines(table, names.of(tableKey(table.name)), '    '));
    lines.push('  end');
  }
  const relationships = model.relationships.map((r) => relationshipLine(r, names));
  if (relationships.length > 0) lines.push('  %% relationships: one per foreign key, parent ||--o{ child : "fk columns"', ...relationships);
  return `${lines.join('\n')}\n`;
}

function entityLines(table: ErTable, name: string, indent: string): string[] {
  if (table.columns.length === 0) return [`${indent}${name}`];
  const attributes = table.columns.map((column) => {
    const parts = [attributeWord(column.type), attributeWord(column.name)];
    if (column.keys.length > 0) parts.push(column.keys.join(', '));
    if (column.nullable) parts.push(attributeComment('nullable'));
    return `${indent}  ${parts.join(' ')}`;
  });
  return [`${indent}${name} {`, ...attributes, `${indent}}`];
}

/** `parent ||--o{ child : "columns"`: solid when identifying, dashed otherwise. */
function relationshipLine(r: ErRelationship, names: ErNames): string {
  const parentSide = r.parentSide === 'one' ? '||' : '|o';
  const childSide = r.childSide === 'zeroOrOne' ? 'o|' : 'o{';
  const line = r.identifying ? '--' : '..';
  return `  ${names.of(tableKey(r.parent), r.parent)} ${parentSide}${line}${childSide} ${names.of(tableKey(r.child))} : ${quoted(r.columns.join(', '))}`;
}

/** Identifies a table however it is reached (registered, or as a foreign key's target). */
function tableKey(name: string): string {
  return `table:${name}`;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
