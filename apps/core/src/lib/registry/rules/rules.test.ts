import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_RULES } from '../core-rules.ts';
import { createContainer } from '../container.ts';
import { SCHEMA_RULE } from '@ydtb/plugin-api';

const ruleFiles = readdirSync(dirname(fileURLToPath(import.meta.url)))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'index.ts')
  .map((file) => basename(file, '.ts'))
  .sort();

describe('rules/', () => {
  describe('when the container is built', () => {
    const rules = createContainer().getAll(SCHEMA_RULE);

    it('should register one rule per file, each id named after its file', () => {
      expect(rules.map((rule) => rule.id).sort()).toEqual(ruleFiles.map((file) => `ydtb/${file}`));
      expect(CORE_RULES).toHaveLength(ruleFiles.length);
    });

    it.each(rules.map((rule) => [rule.id, rule] as const))('should describe %s with a description and a fix hint', (_id, rule) => {
      expect(rule.description.length).toBeGreaterThan(20);
      expect((rule as { hint?: string }).hint?.length).toBeGreaterThan(20);
      expect(Object.keys((rule as { messages?: object }).messages ?? {}).length).toBeGreaterThan(0);
    });
  });
});
