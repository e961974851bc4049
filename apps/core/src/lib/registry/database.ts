import { decorate, inject, injectable, multiInject, optional } from 'inversify';
import { PACKAGE_SCHEMA, SCHEMA_RULE } from '@ydtb/plugin-api';
import type {
  DatabaseRegistryConfig,
  PackageSchemaRegistration,
  RegisteredPackage,
  RuleContext,
  SchemaRule,
  Violation,
} from '../../types/database-registry.ts';
import { CORE_SCHEMA } from './core-package.ts';
import { NameOwnerIndex } from './name-owner-index.ts';
import { REGISTRY_CONFIG } from './registry-config.ts';
import { checkRegistrationShape } from './registration-shape.ts';
import { dependenciesFirst } from './contribution-order.ts';
import { describeError } from './describe-error.ts';
import { inspectSchema, type InspectedSchema } from './schema-inspector.ts';
import { DrizzleSchemaRule } from './rules/drizzle-schema.ts';
import { SchemaValidationError } from './schema-validation-error.ts';

/**
 * The packages' database schemas, validated by the multi-injected rules and kept in memory.
 * Resolving it from the container registers every `PACKAGE_SCHEMA` contribution.
 */
export class DatabaseRegistry {
  readonly core: RegisteredPackage;
  readonly #packages = new Map<string, RegisteredPackage>();
  /** Core and the registered packages: what every rule sees. */
  readonly #registered = new Map<string, RegisteredPackage>();
  readonly #owners: NameOwnerIndex;

  constructor(
    private readonly rules: readonly SchemaRule[],
    core: PackageSchemaRegistration,
    contributions: readonly PackageSchemaRegistration[] | undefined,
    config: DatabaseRegistryConfig,
  ) {
    this.core = Object.freeze({ registration: core, ...inspectSchema(core.schema), warnings: [] });
    this.#owners = new NameOwnerIndex(config);
    this.accept(this.core);
    this.registerAll(contributions ?? []);
  }

  /**
   * Validates and stores a registration. Throws one SchemaValidationError listing every
   * violation when any rule reports an error; the registry is then left exactly as it was.
   */
  register(input: PackageSchemaRegistration): RegisteredPackage {
    const shape = checkRegistrationShape(input);
    if (!shape.ok) throw new SchemaValidationError(shape.packageName, shape.violations);
    const { registration } = shape;
    const context: RuleContext = { registration, ...inspectOrReject(registration), registered: this.#registered, owners: this.#owners };
    const violations = this.rules.flatMap((rule) => runRule(rule, context));
    if (violations.some((v) => v.severity === 'error')) {
      throw new SchemaValidationError(registration.packageName, violations);
    }
    const accepted: RegisteredPackage = Object.freeze({
      registration,
      tables: context.tables,
      views: context.views,
      objects: context.objects,
      warnings: violations,
    });
    this.#packages.set(registration.packageName, accepted);
    this.accept(accepted);
    return accepted;
  }

  private accept(pkg: RegisteredPackage): void {
    this.#registered.set(pkg.registration.packageName, pkg);
    this.#owners.add(pkg.registration.packageName, pkg);
  }

  /**
   * Registers every contribution that passes, dependencies before dependents whatever order the
   * modules were loaded in, and then reports all rejected ones together.
   */
  private registerAll(contributions: readonly PackageSchemaRegistration[]): void {
    const rejected: SchemaValidationError[] = [];
    for (const contribution of dependenciesFirst(contributions)) {
      try {
        this.register(contribution);
      } catch (error) {
        if (!(error instanceof SchemaValidationError)) throw error;
        rejected.push(error);
        this.claimNamesOfRejected(contribution);
      }
    }
    if (rejected.length > 0) {
      throw new SchemaValidationError(
        rejected.map((e) => e.packageName).join(', '),
        rejected.flatMap((e) => e.violations),
      );
    }
  }

  /** The registry throws once every contribution is checked; until then a rejected package's names still count as taken. */
  private claimNamesOfRejected(contribution: PackageSchemaRegistration): void {
    const shape = checkRegistrationShape(contribution);
    if (!shape.ok) return;
    let inspected: InspectedSchema;
    try {
      inspected = inspectSchema(shape.registration.schema);
    } catch {
      return; // unreadable: already reported as such
    }
    this.#owners.addRejected(shape.registration.packageName, { registration: shape.registration, ...inspected, warnings: [] });
  }

  get(name: string): RegisteredPackage | undefined {
    return this.#packages.get(name);
  }

  has(name: string): boolean {
    return this.#packages.has(name);
  }

  /** Core, then the registered packages in registration order. */
  all(): readonly RegisteredPackage[] {
    return [...this.#registered.values()];
  }

  /** Registered packages in registration order (core not included: see `core`). */
  list(): readonly RegisteredPackage[] {
    return [...this.#packages.values()];
  }
}

// The constructor's injections, attached without decorator syntax so an app can import the
// registry whatever its tsconfig says about decorators (README: Using @ydtb/core from your app).
decorate(injectable(), DatabaseRegistry);
decorate(multiInject(SCHEMA_RULE), DatabaseRegistry, 0);
decorate(inject(CORE_SCHEMA), DatabaseRegistry, 1);
decorate([multiInject(PACKAGE_SCHEMA), optional()], DatabaseRegistry, 2);
decorate(inject(REGISTRY_CONFIG), DatabaseRegistry, 3);

/** Reading a hostile schema object (throwing getters, revoked proxies) rejects it instead of crashing. */
function inspectOrReject(registration: PackageSchemaRegistration): InspectedSchema {
  try {
    return inspectSchema(registration.schema);
  } catch (error) {
    throw new SchemaValidationError(registration.packageName, [
      {
        rule: DrizzleSchemaRule.id,
        severity: 'error',
        packageName: registration.packageName,
        message: `The schema could not be read: ${describeError(error)}.`,
        hint: 'Pass the module namespace of a Drizzle schema file: import * as schema from "./schema".',
      },
    ]);
  }
}

/** A rule that throws is a broken rule, reported as a violation so callers see one error type. */
function runRule(rule: SchemaRule, context: RuleContext): readonly Violation[] {
  try {
    return rule.check(context);
  } catch (error) {
    return [
      {
        rule: rule.id,
        severity: 'error',
        packageName: context.registration.packageName,
        message: `Rule "${rule.id}" could not check this package: ${describeError(error)}.`,
        hint: 'Check that every schema export is a real Drizzle pg-core table; if it is, this is a bug in the rule.',
      },
    ];
  }
}
