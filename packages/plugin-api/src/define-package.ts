import { ContainerModule } from 'inversify';
import type { EnvironmentContribution } from './environment-contribution.ts';
import type { PackageSchemaRegistration } from './package-registration.ts';
import { ENVIRONMENT_CONTRIBUTION, PACKAGE_SCHEMA } from './tokens.ts';

/** What a package contributes to the host. */
export interface PackageContribution {
  readonly database?: PackageSchemaRegistration;
  readonly environment?: EnvironmentContribution;
}

/** Builds the ContainerModule a package exports: `host.load(definePackage({ database, environment }))`. */
export function definePackage(contribution: PackageContribution): ContainerModule {
  return new ContainerModule(({ bind }) => {
    if (contribution.database) bind(PACKAGE_SCHEMA).toConstantValue(contribution.database);
    if (contribution.environment) bind(ENVIRONMENT_CONTRIBUTION).toConstantValue(contribution.environment);
  });
}
