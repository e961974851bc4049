/** A text[] column: drivers hand it over as an array, or as its `{a,b}` text form. */
export function textArray(value: readonly string[] | string | null | undefined): string[] {
  if (value == null) return [];
  if (Array.isArray(value)) return [...value];
  const inner = (value as string).replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((v) => v.replace(/^"|"$/g, '')) : [];
}
