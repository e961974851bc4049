import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LINT_RULES } from '../lint-rules.ts';

const ruleFiles = readdirSync(dirname(fileURLToPath(import.meta.url)))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => basename(file, '.ts'))
  .sort();

describe('lint-rules/', () => {
  describe('when the safety rules are listed', () => {
    it('should register one rule per file, each id named after its file', () => {
      expect(LINT_RULES.map((rule) => rule.id).sort()).toEqual(ruleFiles.map((file) => `ydtb/lint-${file}`));
    });

    it.each(LINT_RULES.map((rule) => [rule.id, rule] as const))('should describe %s with a severity, a description, a fix hint and messages', (_id, rule) => {
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.hint.length).toBeGreaterThan(20);
      expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    });
  });
});
