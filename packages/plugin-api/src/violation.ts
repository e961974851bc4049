/** How much a broken rule matters: errors reject a registration, warnings are reported and kept. */
export type Severity = 'error' | 'warning';

/**
 * One broken rule, with enough data to render it anywhere (CLI, JSON, a test failure).
 * `message` says what is wrong and where; `hint` says how to fix it.
 */
export interface Violation {
  /** Stable rule id, e.g. `ydtb/table-prefix`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly packageName: string;
  readonly table?: string;
  readonly column?: string;
  readonly message: string;
  readonly hint?: string;
}
