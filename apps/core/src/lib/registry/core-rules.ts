import type { Newable } from 'inversify';
import type { SchemaRule } from '../../types/database-registry.ts';
import { CrossPackageFkRule } from './rules/cross-package-fk.ts';
import { DistributionReadyRule } from './rules/distribution-ready.ts';
import { ForeignKeyIndexRule } from './rules/foreign-key-index.ts';
import { DrizzleSchemaRule } from './rules/drizzle-schema.ts';
import { GlobalTablesRule } from './rules/global-tables.ts';
import { IdentifierRule } from './rules/identifiers.ts';
import { SemverRule } from './rules/semver.ts';
import { PrefixRule } from './rules/table-prefix.ts';
import { UniqueNameRule } from './rules/unique-name.ts';
import { ViewSecurityRule } from './rules/view-security.ts';
import { WorkspaceFkRule } from './rules/workspace-fk.ts';
import { WorkspaceIndexRule } from './rules/workspace-index.ts';
import { WorkspaceKeysRule } from './rules/workspace-keys.ts';
import { WorkspaceCascadeRule } from './rules/workspace-cascade.ts';
import { WorkspaceSetNullRule } from './rules/workspace-set-null.ts';
import { CoreReferenceTypesRule } from './rules/core-reference-types.ts';
import { WorkspaceLookupsRule } from './rules/workspace-lookups.ts';

/** The rules `createContainer` binds, in the order their violations are reported. */
export const CORE_RULES: readonly Newable<SchemaRule>[] = [
  DrizzleSchemaRule,
  PrefixRule,
  WorkspaceFkRule,
  CoreReferenceTypesRule,
  GlobalTablesRule,
  WorkspaceKeysRule,
  WorkspaceSetNullRule,
  WorkspaceCascadeRule,
  WorkspaceLookupsRule,
  ViewSecurityRule,
  SemverRule,
  UniqueNameRule,
  IdentifierRule,
  CrossPackageFkRule,
  WorkspaceIndexRule,
  ForeignKeyIndexRule,
  DistributionReadyRule,
];
