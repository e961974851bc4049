import { readDirectives } from './migration-directives.ts';

describe('readDirectives', () => {
  describe('when a migration declares itself', () => {
    it('should read no-transaction and every allow with its reason and line-less problems', () => {
      const directives = readDirectives('-- ydtb:no-transaction\n-- ydtb:allow ydtb/lint-drop-column the column was never read\nCREATE INDEX CONCURRENTLY i ON t (c);');
      expect(directives.noTransaction).toBe(true);
      expect([...directives.allows]).toEqual([['ydtb/lint-drop-column', 'the column was never read']]);
      expect(directives.problems).toEqual([]);
    });
  });

  describe('when a directive is malformed or unknown', () => {
    it('should report each with its line', () => {
      const directives = readDirectives('SELECT 1;\n-- ydtb:allow ydtb/lint-drop-column\n--ydtb:no-transactions');
      expect(directives.problems).toEqual([
        { line: 2, message: '"-- ydtb:allow" needs a rule id and the reason: -- ydtb:allow <rule> <reason>' },
        { line: 3, message: 'unknown directive "ydtb:no-transactions" (known: ydtb:no-transaction, ydtb:allow)' },
      ]);
      expect(directives.noTransaction).toBe(false);
    });
  });
});
