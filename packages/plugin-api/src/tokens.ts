import type { ServiceIdentifier } from 'inversify';
import type { EnvironmentContribution } from './environment-contribution.ts';
import type { PackageSchemaRegistration } from './package-registration.ts';
import type { SchemaRule } from './schema-rule.ts';

/*
 * Service identifiers shared by the host and packages. `Symbol.for` keeps them equal even if
 * two copies of this module end up loaded.
 */

/** A package's schema registration; bind one per package, the registry collects them all. */
export const PACKAGE_SCHEMA: ServiceIdentifier<PackageSchemaRegistration> = Symbol.for('ydtb.PackageSchema');

/** A validator run on every registration; multi-injected. */
export const SCHEMA_RULE: ServiceIdentifier<SchemaRule> = Symbol.for('ydtb.SchemaRule');

/** A package's environment variables; the environment registry collects them all. */
export const ENVIRONMENT_CONTRIBUTION: ServiceIdentifier<EnvironmentContribution> = Symbol.for(
  'ydtb.EnvironmentContribution',
);
