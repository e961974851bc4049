/**
 * A migration a package ships. The id is stable forever (it keys the history table);
 * ids sort lexically, so prefix them with a zero-padded sequence: `0001_create_notes`.
 */
export type MigrationDefinition = SqlMigration | UpDownMigration;

/** Forward-only SQL, with an optional statement that undoes it. */
export interface SqlMigration {
  readonly id: string;
  readonly sql: string;
  readonly down?: string | undefined;
}

/** The same, spelt as an up/down pair. */
export interface UpDownMigration {
  readonly id: string;
  readonly up: string;
  readonly down: string;
}
