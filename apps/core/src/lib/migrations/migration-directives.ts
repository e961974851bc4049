/**
 * What a migration file declares about itself in `-- ydtb:` comment lines:
 *
 *   -- ydtb:no-transaction                     runs outside the package's transaction (one statement)
 *   -- ydtb:allow <rule id> <reason>           accepts a finding of that safety rule, with the reason
 */
export interface MigrationDirectives {
  readonly noTransaction: boolean;
  /** Rule id → the reason given. */
  readonly allows: ReadonlyMap<string, string>;
  /** Directive lines that could not be read, with their 1-based line. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const DIRECTIVE = /^\s*--\s*ydtb:([a-z-]+)(?:\s+(.*?))?\s*$/;

export function readDirectives(sql: string): MigrationDirectives {
  let noTransaction = false;
  const allows = new Map<string, string>();
  const problems: { line: number; message: string }[] = [];
  sql.split('\n').forEach((text, index) => {
    const match = DIRECTIVE.exec(text);
    if (!match) return;
    const [, name, rest = ''] = match;
    const line = index + 1;
    if (name === 'no-transaction') {
      if (rest) problems.push({ line, message: '"-- ydtb:no-transaction" takes nothing after it' });
      noTransaction = true;
    } else if (name === 'allow') {
      const [rule, ...reason] = rest.split(/\s+/).filter(Boolean);
      if (!rule || reason.length === 0) problems.push({ line, message: '"-- ydtb:allow" needs a rule id and the reason: -- ydtb:allow <rule> <reason>' });
      else allows.set(rule, reason.join(' '));
    } else {
      problems.push({ line, message: `unknown directive "ydtb:${name}" (known: ydtb:no-transaction, ydtb:allow)` });
    }
  });
  return { noTransaction, allows, problems };
}
