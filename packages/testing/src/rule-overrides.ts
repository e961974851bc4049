import type { Container, Newable } from 'inversify';
import { CORE_RULES, SilencedRule, type SchemaRule } from '@ydtb/core';

/** Rule id → why it is off for this package (kept, so a reviewer sees it). */
export type SilencedRules = Readonly<Record<string, string>>;
/** Rule id → the rule to run instead. */
export type ReplacedRules = Readonly<Record<string, Newable<SchemaRule>>>;

export function applyRuleOverrides(container: Container, silence: SilencedRules, replace: ReplacedRules): void {
  for (const [id, reason] of Object.entries(silence)) {
    if (!reason.trim()) throw new Error(`Silencing ${id} needs a reason.`);
    container.rebind(ruleClass(id)).toConstantValue(new SilencedRule(id, reason));
  }
  for (const [id, replacement] of Object.entries(replace)) container.rebind(ruleClass(id)).to(replacement);
}

function ruleClass(id: string): Newable<SchemaRule> {
  const found = CORE_RULES.find((rule) => (rule as unknown as { id?: string }).id === id);
  if (!found) {
    const known = CORE_RULES.map((rule) => (rule as unknown as { id: string }).id).join(', ');
    throw new Error(`There is no rule "${id}". Rules: ${known}.`);
  }
  return found;
}
