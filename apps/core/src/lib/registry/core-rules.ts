import type { Newable } from 'inversify';
import type { SchemaRule } from '../../types/database-registry';
import { CoreReferenceTypesRule } from './rules/core-reference-types';
import { CrossPackageFkRule } from './rules/cross-package-fk';
import { DistributionReadyRule } from './rules/distribution-ready';
import { ForeignKeyIndexRule } from './rules/foreign-key-index';
import { DrizzleSchemaRule } from './rules/drizzle-schema';
import { GlobalTablesRule } from './rules/global-tables';
import { IdentifierRule } from './rules/identifiers';
import { SemverRule } from './rules/semver';
import { PrefixRule } from './rules/table-prefix';
import { UniqueNameRule } from './rules/unique-name';
import { ViewSecurityRule } from './rules/view-security';
import { WorkspaceFkRule } from './rules/workspace-fk';
import { WorkspaceIndexRule } from './rules/workspace-index';
import { WorkspaceKeysRule } from './rules/workspace-keys';
import { WorkspaceCascadeRule } from './rules/workspace-cascade';
import { WorkspaceSetNullRule } from './rules/workspace-set-null';
import { WorkspaceLookupsRule } from './rules/workspace-lookups';

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
