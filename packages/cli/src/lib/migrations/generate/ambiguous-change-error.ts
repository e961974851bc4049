import type { ChangeKind } from './change-scopes.ts';

/** One object gone in an ambiguous scope, with the flags that settle it. */
export interface AmbiguousObject {
  /** How the object is named on the command line, e.g. `ydtb_crm_contacts.full_name`. */
  readonly ref: string;
  /** `--rename <ref>=<new>`, one for each new object it may have become. */
  readonly renames: readonly string[];
  /** `--drop <ref>`: drop it and its data. */
  readonly drop: string;
}

/** A scope in which something is gone and something is new: a rename, or a drop and a create? */
export interface AmbiguousChange {
  readonly kind: ChangeKind;
  /** Columns and table policies: the table; enum values: the enum; as named on the command line. */
  readonly within?: string;
  readonly gone: readonly AmbiguousObject[];
  /** The new objects, as named after `=` in `--rename`. */
  readonly added: readonly string[];
}

/**
 * The schema change is ambiguous and the author has not said how to read it; nothing is
 * generated. drizzle-kit would prompt here (and pressing Enter would drop the data).
 */
export class AmbiguousChangeError extends Error {
  constructor(
    readonly packageName: string,
    readonly changes: readonly AmbiguousChange[],
  ) {
    const gone = changes.flatMap((c) => c.gone.map((g) => g.ref));
    super(`${packageName}: ${gone.length} objects gone beside new ones need --rename or --drop: ${gone.join(', ')}`);
    this.name = 'AmbiguousChangeError';
  }
}

/** A `--rename`/`--drop` choice that cannot be applied, with why. */
export interface ChoiceProblem {
  readonly choice: string;
  readonly reason: string;
}

/** The author's choices do not fit the schema change; nothing is generated. */
export class SchemaChoiceError extends Error {
  constructor(
    readonly packageName: string,
    readonly problems: readonly ChoiceProblem[],
  ) {
    super(`${packageName}: ${problems.map((p) => `${p.choice}: ${p.reason}`).join('; ')}`);
    this.name = 'SchemaChoiceError';
  }
}
