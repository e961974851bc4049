import type { SqlClient } from '../database/sql-client.ts';
import { packageRole } from './package-role.ts';
import { quoteIdent } from '../isolation/quote-ident.ts';
import type { SecurityModel } from '../isolation/security-model.ts';

export type OwnedKind = 'table' | 'view' | 'sequence' | 'type' | 'function';

/** A package object owned by another role than its package's. */
export interface OwnerProblem {
  readonly packageName: string;
  readonly kind: OwnedKind;
  /** The relation or type name; a function's signature. */
  readonly object: string;
  readonly owner: string;
  /** The package's role, which must own it. */
  readonly expected: string;
}

const KINDS: Record<string, OwnedKind> = { r: 'table', p: 'table', v: 'view', S: 'sequence', type: 'type', function: 'function' };

/*
 * The owners of what the packages declare: tables, views and sequences, enum types, declared
 * SECURITY DEFINER functions. Indexes and the sequences behind serial and identity columns go
 * with their table (ALTER TABLE … OWNER TO moves them too).
 */
const OWNERS = `
SELECT c.relname::text AS name, c.relname::text AS object, c.relkind::text AS kind, pg_get_userbyid(c.relowner)::text AS owner
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'S')
UNION ALL
SELECT t.typname::text, t.typname::text, 'type', pg_get_userbyid(t.typowner)::text
  FROM pg_type t
 WHERE t.typnamespace = current_schema()::regnamespace AND t.typname = ANY($2::text[]) AND t.typtype = 'e'
UNION ALL
SELECT p.proname::text, p.oid::regprocedure::text, 'function', pg_get_userbyid(p.proowner)::text
  FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace AND p.proname = ANY($3::text[])`;

/** Every object the model names whose owner is not its package's role, in one query. */
export async function ownerProblems(client: SqlClient, model: SecurityModel, packageName?: string): Promise<OwnerProblem[]> {
  const relations = new Map<string, string>([
    ...[...model.tenantTables].map(([name, t]) => [name, t.packageName] as const),
    ...model.globalTables,
    ...model.views,
    ...model.sequences,
  ]);
  const of = (names: ReadonlyMap<string, string>) => [...names].filter(([, p]) => !packageName || p === packageName).map(([name]) => name);
  const rows = await client.query<{ name: string; object: string; kind: string; owner: string }>(OWNERS, [of(relations), of(model.types), of(model.definers)]);
  return rows.flatMap((row) => {
    const kind = KINDS[row.kind];
    const owningPackage = kind === 'type' ? model.types.get(row.name) : kind === 'function' ? model.definers.get(row.name) : relations.get(row.name);
    if (!kind || !owningPackage) return [];
    const expected = packageRole(owningPackage);
    return row.owner === expected ? [] : [{ packageName: owningPackage, kind, object: row.object, owner: row.owner, expected }];
  });
}

/** Gives the object to its package's role; the migrator must own it or be a member of its owner. */
export function ownerRepairSql(problem: OwnerProblem): string {
  const to = quoteIdent(problem.expected);
  switch (problem.kind) {
    case 'function':
      return `ALTER FUNCTION ${problem.object} OWNER TO ${to};`;
    case 'type':
      return `ALTER TYPE ${quoteIdent(problem.object)} OWNER TO ${to};`;
    default:
      return `ALTER ${problem.kind === 'table' ? 'TABLE' : problem.kind === 'view' ? 'VIEW' : 'SEQUENCE'} ${quoteIdent(problem.object)} OWNER TO ${to};`;
  }
}

export function describeOwnerProblem(problem: OwnerProblem): string {
  return `The ${problem.kind} ${problem.kind === 'function' ? problem.object : `"${problem.object}"`} of ${problem.packageName} is owned by ${problem.owner}, not by the package's role ${problem.expected}: its owner's rights are not the package's alone. Run ydtb db migrate to give it to ${problem.expected}.`;
}
