import type { PgTable } from 'drizzle-orm/pg-core';
import type { getTableConfig } from 'drizzle-orm/pg-core';
import type { PackageSchemaRegistration } from './package-registration.ts';
import type { Severity, Violation } from './violation.ts';

/** A table of a registration as drizzle-orm reads it, with the export name it came from. */
export interface InspectedTable {
  readonly exportName: string;
  readonly table: PgTable;
  readonly config: ReturnType<typeof getTableConfig>;
}

/** A view (or materialized view) of a registration, as drizzle-orm reads it. */
export interface InspectedView {
  readonly exportName: string;
  readonly name: string;
  readonly materialized: boolean;
  /** `.with({ securityInvoker: true })`: the view reads with the caller's rights, so row-level security applies. */
  readonly securityInvoker: boolean;
}

/** Another named object a package creates in the database: an enum type or a sequence. */
export interface InspectedObject {
  readonly exportName: string;
  readonly kind: 'enum' | 'sequence';
  readonly name: string;
}

/** A schema export that looks like a database object but is not one the registry validates (a sqlite table, loose columns…). */
export interface StrayExport {
  readonly exportName: string;
  readonly description: string;
}

/** Everything a rule may look at. Rules never see mutable registry state. */
export interface RuleContext {
  readonly registration: PackageSchemaRegistration;
  readonly tables: readonly InspectedTable[];
  readonly views: readonly InspectedView[];
  /** Enum types and sequences declared in the schema module. */
  readonly objects: readonly InspectedObject[];
  readonly strays: readonly StrayExport[];
  /** Packages already registered (core included), by name. */
  readonly registered: ReadonlyMap<string, RegisteredPackage>;
  /** Which of them holds each name, kept up to date by the registry so rules need not rebuild it. */
  readonly owners: NameOwners;
}

/**
 * Package name by name, core included, per PostgreSQL namespace: tables; relations (tables,
 * views, sequences, indexes and key indexes share one namespace); types (enum types, and the row
 * type every table and view has).
 */
export interface NameOwners {
  readonly tables: ReadonlyMap<string, string>;
  readonly relations: ReadonlyMap<string, string>;
  readonly types: ReadonlyMap<string, string>;
}

/** A package the registry accepted. */
export interface RegisteredPackage {
  readonly registration: PackageSchemaRegistration;
  readonly tables: readonly InspectedTable[];
  readonly views: readonly InspectedView[];
  readonly objects: readonly InspectedObject[];
  /** Warnings reported when it was accepted. */
  readonly warnings: readonly Violation[];
}

/**
 * A validator the registry runs on every registration. Implementations are inversify
 * services multi-injected under `SCHEMA_RULE`; one rule a file, named after its id.
 */
export interface SchemaRule {
  /** Stable id, `ydtb/<file-name>`. */
  readonly id: string;
  readonly description: string;
  /** Default severity of what it reports. */
  readonly severity: Severity;
  check(context: RuleContext): readonly Violation[];
}
