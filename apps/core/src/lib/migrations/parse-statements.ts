import type { RawStmt } from 'libpg-query';

/**
 * A migration's statements as PostgreSQL's own parser reads them, or undefined for SQL that does
 * not parse. The parser (WebAssembly) is loaded on the first call, once per process.
 */
export async function parseStatements(sql: string): Promise<readonly RawStmt[] | undefined> {
  const { loadModule, parseSync } = await import('libpg-query');
  await loadModule();
  try {
    return parseSync(sql).stmts ?? [];
  } catch {
    return undefined;
  }
}
