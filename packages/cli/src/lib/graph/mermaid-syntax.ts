/*
 * How to write arbitrary names into Mermaid erDiagram text so the parser reads them back as
 * the same single token. The rules follow Mermaid's ER lexer (erDiagram.jison, mermaid 12):
 * its keyword rules run before its name rule, so a bare `end` or `one` is a keyword, and
 * quoted names may not contain `"`, `%` or `\`.
 */

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words the ER lexer reads as statements or cardinalities when they stand alone. */
const KEYWORDS = new Set([
  'erdiagram', 'subgraph', 'end', 'style', 'class', 'classdef', 'direction', 'acctitle', 'accdescr',
  'one', 'many', 'only', 'zero', 'to', 'optionally',
]);

/** An attribute type or name, up to the characters the lexer allows in a bare attribute word. */
const BARE_ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_\-[\]().,]*$/;
/** The key markers: the lexer takes a word starting with them (then a non-word character) as a key. */
const KEY_MARKER = /^(PK|FK|UK)\b/i;

/** An entity name (or relationship role): bare when it is a plain word, quoted otherwise. */
export function erName(name: string): string {
  return BARE_NAME.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : quoted(name);
}

/** Text in double quotes, for names, labels and titles. */
export function quoted(text: string): string {
  return `"${cleanQuoted(text)}"`;
}

/** What a quoted name becomes once Mermaid has read it: the identity of the entity. */
export function cleanQuoted(text: string): string {
  return (
    text
      .replace(/["%\\]/g, "'")
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      // Any line holding "direction TB" (LR, …) is read as a direction statement, even inside quotes.
      .replace(/(direction)\s+(?=(TB|BT|RL|LR))/gi, '$1_')
  );
}

/** An attribute type or column name: bare when allowed, in backticks (Mermaid's quoting there) otherwise. */
export function attributeWord(word: string): string {
  if (BARE_ATTRIBUTE.test(word) && !KEY_MARKER.test(word)) return word;
  return `\`${word.replace(/`/g, "'").replace(/[\u0000-\u001f\u007f]/g, ' ')}\``;
}

/** An attribute comment. */
export function attributeComment(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}
