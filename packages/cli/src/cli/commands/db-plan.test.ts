import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../cli-io.ts';
import { runCliCaptured } from '../run-cli-captured.ts';

const fixtures = 'packages/cli/src/cli/fixtures';

describe('ydtb db plan and the safety lint', () => {
  let parent: string;
  let n = 0;
  const ydtb = (args: string) => runCliCaptured(args.split(' '), { env: { YDTB_DATA_DIR: join(parent, `db-${++n}`) } });

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'ydtb-plan-lint-'));
  });

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  describe('when a pending migration drops a column without allowing it', () => {
    it('should print the finding after the plan and exit 3: migrate would refuse', async () => {
      const { code, out } = await ydtb(`db plan --config ${fixtures}/dropping-migration-modules.ts`);

      expect(code).toBe(EXIT.invalid);
      expect(out).toContain('Migration lint (migrate would refuse these migrations):\n@test/archive\n  error ydtb/lint-drop-column (0002_drop_legacy.sql, line 2)');
    });

    it('should list the findings in the JSON', async () => {
      const { code, out } = await ydtb(`db plan --json --config ${fixtures}/dropping-migration-modules.ts`);

      expect(code).toBe(EXIT.invalid);
      expect(JSON.parse(out).findings).toEqual([
        expect.objectContaining({ rule: 'ydtb/lint-drop-column', severity: 'error', packageName: '@test/archive', migration: '0002_drop_legacy', line: 2 }),
      ]);
    });

    it('should make db migrate refuse it with exit 3', async () => {
      const { code, err } = await ydtb(`db migrate --config ${fixtures}/dropping-migration-modules.ts`);

      expect(code).toBe(EXIT.invalid);
      expect(err).toContain('error ydtb/lint-drop-column (0002_drop_legacy.sql, line 2)');
    });
  });

  describe('when a pending migration has only a warning', () => {
    it('should print it and exit 0', async () => {
      const { code, out } = await ydtb(`db plan --config ${fixtures}/locking-migration-modules.ts`);

      expect(code).toBe(EXIT.ok);
      expect(out).toContain('Migration lint:\n@test/locking\n  warning ydtb/lint-index-concurrently (0002_index.sql, line 1)');
    });
  });
});
