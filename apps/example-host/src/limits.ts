import type { NewNote } from './notes-store';

/** What one request may carry; anything larger is refused before it reaches the database. */
export const LIMITS = {
  /** Bytes of a request body. */
  bodyBytes: 64 * 1024,
  /** Characters of a workspace id (after percent-decoding). */
  workspaceId: 128,
  /** Characters of a note's title. */
  title: 500,
  /** Characters of a note's body. */
  noteBody: 20_000,
} as const;

const USAGE = `Send JSON { "title": "<non-empty text, ${LIMITS.title} characters at most>", "body": "<text, optional, ${LIMITS.noteBody} characters at most>" }.`;

/** PostgreSQL's text cannot hold U+0000; the other control characters have no place in an id. */
const NUL = '\u0000';
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The workspace id of a path segment, or what is wrong with it. */
export function parseWorkspaceId(segment: string): { id: string } | { error: string } {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return { error: 'The workspace in the path is not validly percent-encoded.' };
  }
  if (!id) return { error: 'The workspace in the path must be a non-empty id.' };
  if (id.length > LIMITS.workspaceId) return { error: `The workspace id is longer than ${LIMITS.workspaceId} characters.` };
  if (CONTROL.test(id)) return { error: 'The workspace id contains a control character (NUL included), which no workspace id has.' };
  return { id };
}

/** The note to create, or what is wrong with the body. */
export function parseNewNote(text: string): NewNote | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `The body is not JSON. ${USAGE}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `The body is not a JSON object. ${USAGE}`;
  const { title, body } = value as Record<string, unknown>;
  if (typeof title !== 'string' || !title.trim()) return `"title" must be non-empty text. ${USAGE}`;
  if (title.length > LIMITS.title) return `"title" is longer than ${LIMITS.title} characters. ${USAGE}`;
  if (body !== undefined && typeof body !== 'string') return `"body" must be text when given. ${USAGE}`;
  if (body !== undefined && body.length > LIMITS.noteBody) return `"body" is longer than ${LIMITS.noteBody} characters. ${USAGE}`;
  if (title.includes(NUL) || body?.includes(NUL)) return `"title" and "body" may not contain a NUL character (\\u0000), which PostgreSQL text cannot store.`;
  return { title, body };
}

/** Thrown by readBody when the body is larger than LIMITS.bodyBytes. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body is larger than ${LIMITS.bodyBytes} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body as text, read no further than LIMITS.bodyBytes (a declared length above it is refused unread). */
export async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > LIMITS.bodyBytes) throw new BodyTooLargeError();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > LIMITS.bodyBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
