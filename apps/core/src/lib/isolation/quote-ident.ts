/**
 * Quotes an identifier for SQL. Names reaching here already passed `ydtb/identifiers`; quoting
 * anyway means a bug there still cannot turn a name into SQL.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
