import type { PackageSchemaRegistration } from '../../types/database-registry.ts';

/**
 * Contributions reordered so that each comes after the contributions it depends on. Ones whose
 * dependencies never resolve (missing, cyclic, malformed) keep their place at the end, where
 * the rules report them.
 */
export function dependenciesFirst(contributions: readonly PackageSchemaRegistration[]): PackageSchemaRegistration[] {
  const nameOf = (c: PackageSchemaRegistration): unknown => (c as { packageName?: unknown } | null)?.packageName;
  const dependenciesOf = (c: PackageSchemaRegistration): unknown[] => {
    const deps = (c as { dependencies?: unknown } | null)?.dependencies;
    return Array.isArray(deps) ? deps : [];
  };
  const names = new Set(contributions.map(nameOf));
  const placed = new Set<unknown>();
  const ordered: PackageSchemaRegistration[] = [];
  let remaining = [...contributions];
  for (let progress = true; progress && remaining.length > 0; ) {
    const ready = remaining.filter((c) => dependenciesOf(c).every((d) => placed.has(d) || !names.has(d)));
    ready.forEach((c) => placed.add(nameOf(c)));
    ordered.push(...ready);
    const done = new Set(ready);
    remaining = remaining.filter((c) => !done.has(c));
    progress = ready.length > 0;
  }
  return [...ordered, ...remaining];
}
