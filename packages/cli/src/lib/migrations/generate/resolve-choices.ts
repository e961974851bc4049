import { applyRename, type Rename } from './apply-rename.ts';
import { AmbiguousChangeError, SchemaChoiceError, type AmbiguousChange, type ChoiceProblem } from './ambiguous-change-error.ts';
import { CHOICE_KINDS, changeScopes, isAmbiguous, objectRef, qualified, renameTarget, type ChangeScope, type SchemaObject } from './change-scopes.ts';
import type { Snapshot } from './snapshot.ts';

/** The author's answers to drizzle-kit's questions, as given on the command line. */
export interface SchemaChoices {
  /** `<old>=<new>`: the object lives on under the new name, its data kept. */
  readonly renames?: readonly string[];
  /** `<old>`: the object is dropped with its data. */
  readonly drops?: readonly string[];
}

interface Choice {
  readonly flag: string;
  readonly from: string;
  readonly to?: string;
}

/**
 * Settles every ambiguity between the previous snapshot and the current schema with the
 * author's choices, scope by scope in drizzle-kit's order (a table's rename first, then its
 * columns). Returns the previous snapshot with the chosen renames applied and the statements
 * that rename, and the renames in the order applied; objects chosen to be dropped stay in it. Throws `AmbiguousChangeError` when an
 * object gone in an ambiguous scope has no choice, and `SchemaChoiceError` when a choice is
 * malformed, contradicts another or names nothing ambiguous.
 */
export function resolveChoices(packageName: string, previous: Snapshot, current: Snapshot, choices: SchemaChoices = {}) {
  const problems: ChoiceProblem[] = [];
  const all: Choice[] = [
    ...(choices.renames ?? []).flatMap((text) => parseRename(text, problems)),
    ...(choices.drops ?? []).map((text) => ({ flag: `--drop ${text}`, from: text.trim() })),
  ];
  if (problems.length > 0) throw new SchemaChoiceError(packageName, problems);

  const renamed = structuredClone(previous);
  const statements: string[] = [];
  const applied: Rename[] = [];
  const unsettled: AmbiguousChange[] = [];
  const used = new Set<Choice>();
  for (const kind of CHOICE_KINDS) {
    const renames: Rename[] = [];
    for (const scope of changeScopes(kind, renamed, current).filter(isAmbiguous)) {
      const { settled, open } = settle(scope, all, problems);
      settled.forEach(({ choice, rename }) => {
        used.add(choice);
        if (rename) renames.push(rename);
      });
      if (open.length > 0) unsettled.push(ambiguity(scope, open, settled.flatMap((s) => (s.rename ? [s.rename.to] : []))));
    }
    for (const rename of renames) statements.push(...applyRename(renamed, current, rename));
    applied.push(...renames);
  }
  if (problems.length > 0) throw new SchemaChoiceError(packageName, problems);
  if (unsettled.length > 0) throw new AmbiguousChangeError(packageName, unsettled);
  const unused = all.filter((choice) => !used.has(choice));
  if (unused.length > 0) {
    throw new SchemaChoiceError(
      packageName,
      unused.map(({ flag, from }) => ({
        choice: flag,
        reason: `"${from}" is not an object that is gone while another is new, so there is nothing to choose; remove this flag`,
      })),
    );
  }
  return { renamed, statements, renames: applied };
}

function parseRename(text: string, problems: ChoiceProblem[]): Choice[] {
  const flag = `--rename ${text}`;
  const parts = text.split('=').map((part) => part.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    problems.push({ choice: flag, reason: 'write it as <old>=<new>, e.g. --rename ydtb_crm_contacts.full_name=display_name' });
    return [];
  }
  return [{ flag, from: parts[0], to: parts[1] }];
}

function settle(scope: ChangeScope, choices: readonly Choice[], problems: ChoiceProblem[]) {
  const targets = new Map(scope.created.map((object) => [renameTarget(object), object]));
  const taken = new Map<SchemaObject, Choice>();
  const settled: { choice: Choice; rename?: Rename }[] = [];
  const open: SchemaObject[] = [];
  for (const gone of scope.deleted) {
    const ref = objectRef(gone);
    const mine = choices.filter((choice) => choice.from === ref);
    if (mine.length > 1) {
      problems.push({ choice: mine.map((c) => c.flag).join(' and '), reason: `choose once for "${ref}": rename it or drop it` });
      continue;
    }
    const choice = mine[0];
    if (!choice) {
      open.push(gone);
      continue;
    }
    if (choice.to === undefined) {
      settled.push({ choice });
      continue;
    }
    const to = targets.get(choice.to);
    const earlier = to && taken.get(to);
    if (!to) {
      problems.push({ choice: choice.flag, reason: `"${choice.to}" is not new here; new: ${[...targets.keys()].join(', ')}` });
    } else if (earlier) {
      problems.push({ choice: `${earlier.flag} and ${choice.flag}`, reason: `two objects cannot both become "${choice.to}"` });
    } else {
      taken.set(to, choice);
      settled.push({ choice, rename: { from: gone, to } });
    }
  }
  return { settled, open };
}

function ambiguity(scope: ChangeScope, open: readonly SchemaObject[], taken: readonly SchemaObject[]): AmbiguousChange {
  const added = scope.created.filter((object) => !taken.includes(object));
  return {
    kind: scope.kind,
    ...(scope.parent ? { within: qualified(scope.parent.schema, scope.parent.name) } : {}),
    gone: open.map((object) => {
      const ref = objectRef(object);
      return { ref, renames: added.map((to) => `--rename ${ref}=${renameTarget(to)}`), drop: `--drop ${ref}` };
    }),
    added: added.map(renameTarget),
  };
}
