import { cleanQuoted, erName } from './mermaid-syntax.ts';

/**
 * The Mermaid name of every entity and group in one diagram. Mermaid identifies an entity by
 * its name as read back (quotes removed, unsafe characters replaced), so two different tables
 * whose names clean up to the same text would merge into one box; the later one gets a suffix.
 * Groups (subgraphs) share that namespace: a relationship naming a group attaches to the group.
 */
export class ErNames {
  readonly #byKey = new Map<string, string>();
  readonly #taken = new Set<string>();

  /** The name for `key`, `wanted` (default: the key itself) when still free. */
  of(key: string, wanted: string = key): string {
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    let candidate = wanted;
    for (let n = 2; this.#taken.has(cleanQuoted(candidate)); n++) candidate = `${wanted}_${n}`;
    const name = erName(candidate);
    this.#taken.add(cleanQuoted(candidate));
    this.#byKey.set(key, name);
    return name;
  }
}
