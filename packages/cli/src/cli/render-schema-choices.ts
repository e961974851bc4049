import type { AmbiguousChangeError, SchemaChoiceError } from '../lib/migrations/generate/ambiguous-change-error.ts';

/**
 * Lists each object drizzle-kit cannot tell renamed from dropped, with the exact flags that
 * settle it. Nothing is chosen for the author: a drop loses data, a rename keeps it.
 */
export function renderAmbiguousChange(error: AmbiguousChangeError): string {
  const lines = [
    `${error.packageName}: no migration covers these schema changes, and each is either a rename or a drop and a create. Choose for each:`,
  ];
  for (const change of error.changes) {
    const where = change.within ? `${change.within} has` : 'there is';
    const added = change.added.length > 0 ? `, and ${where} new: ${change.added.join(', ')}` : ', and nothing new is left to rename it to';
    for (const gone of change.gone) {
      lines.push(`  ${change.kind} ${gone.ref} is gone${added}`);
      const width = Math.max(gone.drop.length, ...gone.renames.map((r) => r.length));
      for (const rename of gone.renames) lines.push(`    ${rename.padEnd(width)}   renames it: keeps its data`);
      lines.push(`    ${gone.drop.padEnd(width)}   drops it with its data`);
    }
  }
  lines.push(`Run ydtb db generate ${error.packageName} again with one --rename or --drop for each.`);
  return lines.join('\n');
}

/** Each --rename/--drop that does not fit the change, and why. */
export function renderSchemaChoiceError(error: SchemaChoiceError): string {
  return [
    `${error.packageName}: these choices do not fit the schema change; nothing was generated.`,
    ...error.problems.map(({ choice, reason }) => `  ${choice}: ${reason}`),
  ].join('\n');
}
