export type { EphemeralDatabase, TestDb } from './ephemeral-database';
export type { IsolationReport, PackageTestKitOptions, Seed } from './package-test-kit';
export type { TableIsolation } from './isolation-check';
export type { ReplacedRules, SilencedRules } from './rule-overrides';
export { createEphemeralDatabase } from './ephemeral-database';
export { IsolationAssertionError } from './isolation-assertion-error';
export { WORKSPACE_A, WORKSPACE_B } from './isolation-check';
export { createPackageTestKit, PackageTestKit } from './package-test-kit';
