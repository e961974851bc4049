export type { EphemeralDatabase, TestDb } from './ephemeral-database.ts';
export type { IsolationReport, PackageTestKitOptions, Seed } from './package-test-kit.ts';
export type { TableIsolation } from './isolation-check.ts';
export type { ReplacedRules, SilencedRules } from './rule-overrides.ts';
export { createEphemeralDatabase } from './ephemeral-database.ts';
export { IsolationAssertionError } from './isolation-assertion-error.ts';
export { WORKSPACE_A, WORKSPACE_B } from './isolation-check.ts';
export { createPackageTestKit, PackageTestKit } from './package-test-kit.ts';
