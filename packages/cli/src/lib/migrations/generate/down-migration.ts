import type { Rename } from './apply-rename.ts';
import { AmbiguousChangeError } from './ambiguous-change-error.ts';
import { objectRef, renameTarget, type ParentRef } from './change-scopes.ts';
import { diffSchemas } from './diff-schemas.ts';
import { resolveChoices, type SchemaChoices } from './resolve-choices.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * The statements that take a database from `current` back to `previous`: the diff of the two
 * snapshots the other way round, with the author's choices reversed. A rename is undone by the
 * opposite rename; an object the up migration dropped beside a new one is created again and the
 * new one dropped. Data is never restored: what the up migration dropped comes back empty.
 */
export async function downStatements(packageName: string, previous: Snapshot, current: Snapshot, choices?: SchemaChoices): Promise<string[]> {
  const { renames } = resolveChoices(packageName, previous, current, choices);
  const reversed = reverseRenames(renames);
  const drops: string[] = [];
  // Each pass settles every ambiguity left; an object new in the up migration beside a dropped
  // one is, going down, gone beside a new one: it is dropped. Ambiguities cannot outnumber objects.
  for (let pass = 0; ; pass += 1) {
    try {
      return await diffSchemas(packageName, current, previous, { renames: reversed, drops });
    } catch (error) {
      if (!(error instanceof AmbiguousChangeError) || pass > 8) throw error;
      drops.push(...error.changes.flatMap((change) => change.gone.map((gone) => gone.ref)));
    }
  }
}

/**
 * `--rename` choices that undo `renames`. Going down, a column, enum value or table policy is
 * named within its table or enum as already renamed back, so its parent takes its old name.
 */
function reverseRenames(renames: readonly Rename[]): string[] {
  const oldNames = new Map<string, ParentRef>(
    renames
      .filter(({ from }) => from.kind === 'table' || from.kind === 'enum')
      .map(({ from, to }) => [to.key, { key: from.key, schema: from.schema!, name: from.name }]),
  );
  return renames.map(({ from, to }) => {
    const parent = from.parent && (oldNames.get(from.parent.key) ?? from.parent);
    return `${objectRef({ ...to, ...(parent ? { parent } : {}) })}=${renameTarget(from)}`;
  });
}

/** The text of `NNNN_<name>.down.sql`: a header saying what it does not do, then the statements. */
export function downFileText(id: string, statements: readonly string[], breakpoint: string): string {
  const header = [
    `-- Undoes ${id}.sql: the schema goes back to what it was before it.`,
    `-- Data is not restored: rows of tables and columns this file drops are lost, and tables or`,
    `-- columns that ${id}.sql dropped come back empty.`,
  ].join('\n');
  const body = statements.length > 0 ? statements.join(breakpoint) : '-- Nothing to undo: the up migration changed no schema object.';
  const text = `${header}\n${body}`;
  return text.endsWith('\n') ? text : `${text}\n`;
}
