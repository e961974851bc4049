import { Container, type ContainerModule } from 'inversify';
import { PACKAGE_SCHEMA, type PackageSchemaRegistration } from '@ydtb/plugin-api';

/** The schema registration a package module contributes, read from a throwaway container. */
export function registrationOf(module: ContainerModule): PackageSchemaRegistration {
  const probe = new Container();
  probe.load(module);
  const registrations = probe.isBound(PACKAGE_SCHEMA) ? probe.getAll(PACKAGE_SCHEMA) : [];
  if (registrations.length !== 1) {
    throw new Error(`A package module must contribute exactly one database schema (PACKAGE_SCHEMA); this one contributes ${registrations.length}.`);
  }
  return registrations[0]!;
}
