import { decorate, injectable } from 'inversify';
import type { RuleContext, SchemaRule, Violation } from '../../../types/database-registry.ts';
import { ruleViolation } from '../rule-violation.ts';

/**
 * `ydtb/view-security`: a view must not read around row-level security. A plain view reads its
 * tables with its owner's rights, and its owner is the migrator, often a superuser, whom no
 * policy binds; `security_invoker` makes the view read with the caller's rights, so the workspace
 * policy applies. A materialized view stores rows and cannot have row-level security at all.
 */
export class ViewSecurityRule implements SchemaRule {
  static readonly id = 'ydtb/view-security';
  readonly id = ViewSecurityRule.id;
  readonly severity = 'error' as const;
  readonly description = 'Package views are declared with securityInvoker, so row-level security applies to what they read; materialized views are refused.';
  readonly hint = 'Declare the view with pgView(\'ydtb_<package>_<name>\').with({ securityInvoker: true }).as(…).';
  readonly messages = {
    definer: (view: string) =>
      `View "${view}" is not declared with securityInvoker: it would read its tables with its owner's rights (the migrator's), around row-level security, and could show every workspace's rows.`,
    materialized: (view: string) =>
      `Materialized view "${view}" stores a copy of the rows it reads, and PostgreSQL cannot apply row-level security to a materialized view: every workspace could read every workspace's copy.`,
    materializedHint:
      'Use a view with .with({ securityInvoker: true }) instead, or a workspace table (with workspaceId) that the package keeps up to date.',
  };

  check(context: RuleContext): Violation[] {
    return context.views.flatMap((view) => {
      if (view.materialized) return [ruleViolation(this, context, this.messages.materialized(view.name), {}, this.messages.materializedHint)];
      if (!view.securityInvoker) return [ruleViolation(this, context, this.messages.definer(view.name))];
      return [];
    });
  }
}

// Bound without decorator syntax, so any tsconfig can load it (README: Using @ydtb/core from your app).
decorate(injectable(), ViewSecurityRule);
