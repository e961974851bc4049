import type { Newable } from 'inversify';
import type { SchemaRule } from '../../types/database-registry';
import { DrizzleSchemaRule } from './rules/drizzle-schema';
import { SemverRule } from './rules/semver';
import { PrefixRule } from './rules/table-prefix';
import { UniqueNameRule } from './rules/unique-name';
import { WorkspaceFkRule } from './rules/workspace-fk';

/** The rules `createContainer` binds, in the order their violations are reported. */
export const CORE_RULES: readonly Newable<SchemaRule>[] = [
  DrizzleSchemaRule,
  PrefixRule,
  WorkspaceFkRule,
  SemverRule,
  UniqueNameRule,
];
