import type { MigrationDefinition } from './migration.ts';

/**
 * What a package hands the registry. `schema` is the module namespace of the package's
 * Drizzle schema (`import * as schema from './schema.ts'`): tables, views, enum types and sequences
 * are validated; relations, functions, constants and TypeScript enums may sit beside them.
 */
export interface PackageSchemaRegistration {
  readonly packageName: string;
  readonly version: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly migrations?: readonly MigrationDefinition[] | undefined;
  /** Names of the packages whose tables this package's tables reference. Core is implied. */
  readonly dependencies?: readonly string[] | undefined;
  /**
   * Tables that hold no workspace's data (a currency list, a country lookup), by table name,
   * each with the reason a reviewer reads: `{ ydtb_billing_currencies: 'ISO 4217, the same for everyone' }`.
   * They carry no workspace column and no tenant policy; the application role may only read them.
   */
  readonly globalTables?: Readonly<Record<string, string>> | undefined;
  /**
   * SECURITY DEFINER functions the package's migrations create, by function name, each with the
   * reason it must run with its owner's rights (it bypasses row-level security). Any other
   * SECURITY DEFINER function is drift.
   */
  readonly securityDefinerFunctions?: Readonly<Record<string, string>> | undefined;
  /**
   * Keys by which the application finds a workspace before one is set (an API key's hash, a
   * public page's slug, a custom domain), by lookup name: an exact match on a text or varchar
   * column of one of the package's workspace tables, unique per workspace (`unique: 'workspace'`,
   * the default: a key found in two workspaces is refused as ambiguous) or on its own
   * (`unique: 'global'`). The pipeline creates, owns and verifies the function behind each;
   * the application calls `findWorkspace(db, '<package>', '<lookup>', key)` from @ydtb/core.
   */
  readonly workspaceLookups?: Readonly<Record<string, WorkspaceLookup>> | undefined;
}

/** One workspace lookup: the table (its SQL name) and the column (its SQL name) holding the key. */
export interface WorkspaceLookup {
  readonly table: string;
  readonly column: string;
  /** Which unique key makes the column a key: `(workspace_id, column)` (default) or `(column)`. */
  readonly unique?: 'workspace' | 'global' | undefined;
}
