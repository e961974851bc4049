import type { AmbiguousChangeError, SchemaChoiceError } from '../lib/migrations/generate/ambiguous-change-error';

/**
 * Lists each object drizzle-kit cannot tell renamed from dropped, with the exact flags that
 * settle it. Nothing is chosen for the author: a drop loses data, a rename keeps it.
 */
export function renderAmbiguousChange(error: AmbiguousChangeError): string {
  const lines = [`${error.packageName}: these schema changes are either renames or a drop and a create; nothing was generated.`];
  for (const change of error.changes) {
    const added = change.added.length > 0 ? change.added.join(', ') : 'nothing left';
    for (const gone of change.gone) {
      lines.push(
        change.table
          ? `  ${change.kind} ${gone.ref} is gone while ${change.table} has new: ${added}`
          : `  ${change.kind} ${gone.ref} is gone while new: ${added}`,
      );
      for (const rename of gone.renames) lines.push(`      ${rename}   (rename: keeps its data)`);
      lines.push(`      ${gone.drop}   (drops it and its data)`);
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
