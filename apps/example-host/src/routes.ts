import type { NewNote, NotesStore } from './notes-store';
import { pgErrorCode } from './pg-error-code';
import type { PooledConnection } from './pool-check';

export interface RoutesOptions {
  readonly notes: NotesStore;
  /** Notes one GET returns at most (`BASIC_NOTES_PAGE_SIZE`, declared by @ydtb/basic). */
  readonly pageSize: number;
  readonly checkPool: () => Promise<PooledConnection[]>;
}

export type Handler = (request: Request) => Promise<Response>;

const NOTES_PATH = /^\/w\/([^/]+)\/notes$/;
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * `GET /w/:workspace/notes`, `POST /w/:workspace/notes` (`{ "title": "…", "body"?: "…" }`) and
 * `GET /health/pool`. The workspace comes from the path only, never from the body.
 */
export function createRoutes({ notes, pageSize, checkPool }: RoutesOptions): Handler {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/health/pool' && request.method === 'GET') return json(200, { connections: await checkPool() });
    const match = NOTES_PATH.exec(pathname);
    if (!match) return json(404, { error: `No route for ${request.method} ${pathname}.` });
    const workspaceId = decodeSegment(match[1]!);
    if (!workspaceId) return json(400, { error: 'The workspace in the path must be a non-empty, validly percent-encoded id.' });
    try {
      if (request.method === 'GET') return json(200, { notes: await notes.list(workspaceId, pageSize) });
      if (request.method === 'POST') {
        const input = parseNewNote(await request.text());
        if (typeof input === 'string') return json(400, { error: input });
        return json(201, { note: await notes.create(workspaceId, input) });
      }
      return json(405, { error: `${request.method} is not allowed on ${pathname}: use GET or POST.` });
    } catch (error) {
      if (pgErrorCode(error) === FOREIGN_KEY_VIOLATION) return json(404, { error: `Workspace "${workspaceId}" does not exist.` });
      throw error;
    }
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}

/** The note to create, or what is wrong with the body. */
function parseNewNote(text: string): NewNote | string {
  const usage = 'Send JSON { "title": "<non-empty text>", "body": "<text, optional>" }.';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `The body is not JSON. ${usage}`;
  }
  if (typeof value !== 'object' || value === null) return `The body is not a JSON object. ${usage}`;
  const { title, body } = value as Record<string, unknown>;
  if (typeof title !== 'string' || !title.trim()) return `"title" must be non-empty text. ${usage}`;
  if (body !== undefined && typeof body !== 'string') return `"body" must be text when given. ${usage}`;
  return { title, body };
}

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}
