import { editDistance, suggestCommand } from './suggest-command.ts';

const NAMES = ['db check', 'db plan', 'db migrate', 'db status', 'db generate', 'db graph'];

describe('editDistance', () => {
  it.each([
    ['status', 'status', 0],
    ['stauts', 'status', 2],
    ['statu', 'status', 1],
    ['', 'plan', 4],
    ['kitten', 'sitting', 3],
  ])('should be the fewest edits from %j to %j', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('suggestCommand', () => {
  describe('when the command line is close to a command', () => {
    it.each([
      [['db', 'stauts'], 'db status'],
      [['db', 'migarte', '--dry-run'], 'db migrate'],
      [['status'], 'db status'],
      [['db-check'], 'db check'],
      [['db', 'graf'], 'db graph'],
      [['db', 'generat', '@ydtb/basic'], 'db generate'],
    ])('should suggest the nearest for %j', (words, suggestion) => {
      expect(suggestCommand(words, NAMES)).toBe(suggestion);
    });
  });

  describe('when nothing is close', () => {
    it.each([[['db', 'frobnicate']], [['deploy']], [['--colour']]])('should suggest nothing for %j', (words) => {
      expect(suggestCommand(words, NAMES)).toBeUndefined();
    });
  });
});
