import { generateMigration } from 'drizzle-kit/api';
import { withoutCascadedForeignKeys } from './cascaded-foreign-keys.ts';
import { CHANGE_KINDS, changeScopes, isAmbiguous, objectRef } from './change-scopes.ts';
import { resolveChoices, type SchemaChoices } from './resolve-choices.ts';
import { withSerialIdentitySwitches } from './serial-identity.ts';
import { splitAtAmbiguities } from './split-at-ambiguities.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * The statements that take a database from `previous` to `current`, without drizzle-kit ever
 * asking a question: the author's renames are applied by us first, objects chosen to be dropped
 * are dropped in a first diff and the objects new beside them created in a second; a column
 * switched between serial and identity keeps its rows' ids. Throws
 * `AmbiguousChangeError` / `SchemaChoiceError` (from `resolveChoices`) when a choice is missing
 * or wrong.
 */
export async function diffSchemas(packageName: string, previous: Snapshot, current: Snapshot, choices?: SchemaChoices): Promise<string[]> {
  const { renamed, statements } = resolveChoices(packageName, previous, current, choices);
  const middle = splitAtAmbiguities(renamed, current);
  assertNothingToAsk(renamed, middle);
  assertNothingToAsk(middle, current);
  assertSameDataDropped(renamed, middle, current);
  const first = await generateMigration(withoutCascadedForeignKeys(renamed, middle), middle);
  const second = JSON.stringify(middle) === JSON.stringify(current) ? [] : await generateMigration(middle, current);
  return withSerialIdentitySwitches(renamed, current, [...statements, ...first, ...second]);
}

/** drizzle-kit must never get to prompt: a prompt without a terminal crashes, with one it guesses. */
function assertNothingToAsk(before: Snapshot, after: Snapshot): void {
  const open = CHANGE_KINDS.flatMap((kind) => changeScopes(kind, before, after)).filter(isAmbiguous);
  if (open.length > 0) {
    throw new Error(`Cannot diff without drizzle-kit asking about: ${open.flatMap((s) => s.deleted.map(objectRef)).join(', ')}.`);
  }
}

/** Splitting the diff in two must drop no table or column beyond those the change drops. */
function assertSameDataDropped(before: Snapshot, middle: Snapshot, after: Snapshot): void {
  const dropped = (to: Snapshot) =>
    (['table', 'column'] as const)
      .flatMap((kind) => changeScopes(kind, before, to))
      .flatMap((scope) => scope.deleted.map(objectRef))
      .sort()
      .join(', ');
  if (dropped(middle) !== dropped(after)) {
    throw new Error(`Splitting the migration would drop ${dropped(middle) || 'nothing'} instead of ${dropped(after) || 'nothing'}.`);
  }
}
