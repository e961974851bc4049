/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The command a mistyped command line most likely meant (`db stauts`, `status`, `db-check`), or
 * undefined when none is close: at most a third of the name's length apart, and at least 2 edits allowed.
 */
export function suggestCommand(words: readonly string[], names: readonly string[]): string | undefined {
  const typed = words.filter((word) => !word.startsWith('-')).slice(0, 2);
  if (typed.length === 0) return undefined;
  const candidates = [typed.join(' '), `db ${typed[0]}`, typed.join('').replace(/^db-?/, 'db ')];
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    for (const candidate of candidates) {
      const distance = editDistance(candidate, name);
      if (distance <= Math.max(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
    }
  }
  return best?.name;
}
