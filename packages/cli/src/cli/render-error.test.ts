import { describe, expect, it } from '@jest/globals';
import { NoTransactionFailedError } from '../../../../apps/core/src/lib/migrations/no-transaction-failed-error.ts';
import { EXIT } from './cli-io.ts';
import { renderError } from './render-error.ts';

describe('renderError', () => {
  describe('when a migration failed outside a transaction', () => {
    it('should print what failed, that it was not recorded and what the rerun does, and exit 1', () => {
      const error = new NoTransactionFailedError(
        '@test/notes',
        '0002_title_index',
        { message: 'could not create unique index "ydtb_notes_title_key"', code: '23505', detail: 'Key (workspace_id, title)=(w1, a) is duplicated.' },
        'ydtb_notes_title_key',
        true,
      );

      const { text, code } = renderError(error);

      expect(code).toBe(EXIT.failed);
      expect(text).toBe(
        '0002_title_index of @test/notes failed outside a transaction and was not recorded: could not create unique index "ydtb_notes_title_key" (SQLSTATE 23505)\n' +
          '  Key (workspace_id, title)=(w1, a) is duplicated.\n' +
          'Migrations of @test/notes before it are applied and kept; nothing after it ran.\n' +
          'A rerun retries it; it left the invalid index "ydtb_notes_title_key", which the rerun drops first (DROP INDEX CONCURRENTLY IF EXISTS) before building it again.\n' +
          'Fix the cause (the data or the migration) and run migrate again.',
      );
    });
  });
});
