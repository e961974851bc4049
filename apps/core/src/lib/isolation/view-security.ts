import type { SqlClient } from '../database/sql-client.ts';
import { textArray } from './text-array.ts';
import type { SecurityModel } from './security-model.ts';

export type ViewProblem =
  /** A package view that does not exist in the database. */
  | { readonly kind: 'missing-view'; readonly view: string; readonly packageName: string }
  /** A package view that reads with its owner's rights: the owner bypasses row-level security. */
  | { readonly kind: 'not-security-invoker'; readonly view: string; readonly packageName: string }
  /** A prefixed view or materialized view no package declares. */
  | { readonly kind: 'unregistered-view'; readonly view: string; readonly materialized: boolean };

const VIEWS = `
SELECT c.relname AS name, c.relkind = 'm' AS materialized, c.reloptions AS options
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('v', 'm')`;

const TRUE = new Set(['true', 'on', 'yes', '1', 't', 'y']);

export async function viewProblems(client: SqlClient, model: SecurityModel, prefix: string): Promise<ViewProblem[]> {
  const rows = await client.query<{ name: string; materialized: boolean; options: string[] | string | null }>(VIEWS);
  const live = new Map(rows.map((r) => [r.name, r]));
  const problems: ViewProblem[] = [];
  for (const [view, packageName] of model.views) {
    const row = live.get(view);
    if (!row) problems.push({ kind: 'missing-view', view, packageName });
    else if (!isSecurityInvoker(row.options)) problems.push({ kind: 'not-security-invoker', view, packageName });
  }
  for (const row of rows) {
    if (row.name.startsWith(prefix) && (row.materialized || !model.views.has(row.name))) {
      problems.push({ kind: 'unregistered-view', view: row.name, materialized: row.materialized });
    }
  }
  return problems;
}

function isSecurityInvoker(options: string[] | string | null): boolean {
  return textArray(options).some((option) => {
    const [key, value = 'true'] = option.split('=');
    return key === 'security_invoker' && TRUE.has(value.toLowerCase());
  });
}

export function describeViewProblem(problem: ViewProblem): string {
  switch (problem.kind) {
    case 'missing-view':
      return `View "${problem.view}" of ${problem.packageName} does not exist. Generate a migration for it: ydtb db generate ${problem.packageName}.`;
    case 'not-security-invoker':
      return `View "${problem.view}" of ${problem.packageName} reads with its owner's rights, so row-level security does not apply through it. Run ydtb db migrate to restore security_invoker.`;
    case 'unregistered-view':
      return `${problem.materialized ? 'Materialized view' : 'View'} "${problem.view}" exists but no registered package declares it; the application role may not read it.`;
  }
}
