import { z } from 'zod';
import type { PackageSchemaRegistration, Violation } from '../../types/database-registry.ts';
import { describeError } from './describe-error.ts';

/** npm package name: optional scope, lower case, URL-safe. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const MIGRATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LOOKUP_NAME = /^[a-z][a-z0-9_]{0,29}$/;

const migrationId = z
  .string()
  .max(200)
  .regex(MIGRATION_ID, 'a migration id is letters, digits, "_", "." and "-", e.g. "0001_create_notes"');

const sqlMigration = z.strictObject({ id: migrationId, sql: z.string().min(1), down: z.string().optional() });
const upDownMigration = z.strictObject({ id: migrationId, up: z.string().min(1), down: z.string() });

const plainObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'the schema must be the module namespace of a Drizzle schema (`import * as schema from "./schema"`)',
);

export const registrationShape = z.strictObject({
  packageName: z
    .string()
    .max(214)
    .regex(PACKAGE_NAME, 'a package name is an npm name such as "@ydtb/basic"'),
  version: z.string().max(256),
  schema: plainObject,
  migrations: z.array(z.union([sqlMigration, upDownMigration])).optional(),
  dependencies: z.array(z.string().max(214).regex(PACKAGE_NAME, 'each dependency is a package name')).optional(),
  globalTables: reasons('table').optional(),
  securityDefinerFunctions: reasons('function').optional(),
  workspaceLookups: z
    .record(
      z.string().regex(LOOKUP_NAME, 'a lookup name is lower case [a-z0-9_], starting with a letter, at most 30 bytes'),
      z.strictObject({
        table: z.string().min(1).max(63, 'a table name is at most 63 bytes'),
        column: z.string().min(1).max(63, 'a column name is at most 63 bytes'),
        unique: z.enum(['workspace', 'global']).optional(),
      }),
    )
    .optional(),
});

/** Name → the reason a reviewer reads; an exemption without a reason is no exemption. */
function reasons(kind: string) {
  return z.record(
    z.string().max(63, `a ${kind} name is at most 63 bytes`),
    z.string().trim().min(1, `give the reason this ${kind} is exempt`).max(500),
  );
}

export const SHAPE_RULE_ID = 'ydtb/registration-shape';

export type ShapeCheck =
  | { readonly ok: true; readonly registration: PackageSchemaRegistration }
  | { readonly ok: false; readonly packageName: string; readonly violations: readonly Violation[] };

/**
 * Validates the input's shape before any rule looks at it; shape problems become violations.
 * Even reading the input can throw (revoked proxies, throwing getters): that rejects it too.
 */
export function checkRegistrationShape(input: unknown): ShapeCheck {
  let parsed: ReturnType<typeof registrationShape.safeParse>;
  try {
    parsed = registrationShape.safeParse(input);
  } catch (error) {
    return unreadable(error);
  }
  if (parsed.success) return { ok: true, registration: parsed.data };
  const packageName = nameForReport(input);
  const violations = parsed.error.issues.map(
    (issue): Violation => ({
      rule: SHAPE_RULE_ID,
      severity: 'error',
      packageName,
      message: `${issue.path.length ? `"${issue.path.join('.')}"` : 'the registration'}: ${issue.message}.`,
      hint: 'A registration is { packageName, version, schema, migrations?, dependencies?, globalTables?, securityDefinerFunctions?, workspaceLookups? }.',
    }),
  );
  return { ok: false, packageName, violations };
}

function nameForReport(input: unknown): string {
  try {
    const name = (input as { packageName?: unknown } | null)?.packageName;
    return typeof name === 'string' && name.length <= 214 ? name : '<unnamed package>';
  } catch {
    return '<unnamed package>';
  }
}

function unreadable(error: unknown): ShapeCheck {
  const packageName = '<unreadable package>';
  return {
    ok: false,
    packageName,
    violations: [
      {
        rule: SHAPE_RULE_ID,
        severity: 'error',
        packageName,
        message: `The registration could not be read: ${describeError(error)}.`,
        hint: 'Pass a plain object { packageName, version, schema, migrations?, dependencies? }.',
      },
    ],
  };
}
