import { databaseFailure, type DatabaseFailure } from './database-failure';
import type { Route } from './deadline';
import { BodyTooLargeError, LIMITS, parseNewNote, parseWorkspaceId, readBody } from './limits';
import type { NotesStore } from './notes-store';
import { pgErrorCode } from './pg-error-code';
import type { PooledConnection } from './pool-check';

export interface RoutesOptions {
  readonly notes: NotesStore;
  /** Notes one GET returns at most (`BASIC_NOTES_PAGE_SIZE`, declared by @ydtb/basic). */
  readonly pageSize: number;
  /** Every pooled connection, each read once; rejects when they are not all had in time. */
  readonly checkPool: (signal: AbortSignal) => Promise<PooledConnection[]>;
  /** One query on one pooled connection, bounded in time: whether the host can serve now. */
  readonly checkReady: () => Promise<void>;
  /** Told of each request the database could not serve, with the code only (logged without request data). */
  readonly onDatabaseFailure?: (route: string, failure: DatabaseFailure) => void;
}

const NOTES_PATH = /^\/w\/([^/]+)\/notes$/;
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * `GET /w/:workspace/notes`, `POST /w/:workspace/notes` (`{ "title": "…", "body"?: "…" }`),
 * `GET /health/live`, `GET /health/ready` and `GET /health/pool`. The workspace comes from the
 * path only, never from the body. A database that is down or slow answers 503/504 with Retry-After.
 */
export function createRoutes({ notes, pageSize, checkPool, checkReady, onDatabaseFailure }: RoutesOptions): Route {
  return async (request, signal) => {
    const { pathname } = new URL(request.url);
    const route = pathname.startsWith('/w/') ? `${request.method} /w/:workspace/notes` : `${request.method} ${pathname}`;
    try {
      return await serve(request, pathname, signal);
    } catch (error) {
      const failure = databaseFailure(error);
      if (!failure) throw error;
      onDatabaseFailure?.(route, failure);
      return json(failure.status, { error: failure.error }, { 'retry-after': String(failure.retryAfter) });
    }
  };

  async function serve(request: Request, pathname: string, signal: AbortSignal): Promise<Response> {
    if (request.method === 'GET' && pathname === '/health/live') return json(200, { live: true });
    if (request.method === 'GET' && pathname === '/health/ready') {
      await checkReady();
      return json(200, { ready: true });
    }
    if (request.method === 'GET' && pathname === '/health/pool') return json(200, { connections: await checkPool(signal) });
    const match = NOTES_PATH.exec(pathname);
    if (!match) return json(404, { error: `No route for ${request.method} ${pathname.slice(0, 200)}.` });
    const workspace = parseWorkspaceId(match[1]!);
    if ('error' in workspace) return json(400, { error: workspace.error });
    const workspaceId = workspace.id;
    try {
      if (request.method === 'GET') return json(200, { notes: await notes.list(workspaceId, pageSize, signal) });
      if (request.method === 'POST') {
        let text: string;
        try {
          text = await readBody(request);
        } catch (error) {
          if (error instanceof BodyTooLargeError) return json(413, { error: `${error.message} Send ${LIMITS.bodyBytes} bytes at most.` });
          throw error;
        }
        const input = parseNewNote(text);
        if (typeof input === 'string') return json(400, { error: input });
        return json(201, { note: await notes.create(workspaceId, input, signal) });
      }
      return json(405, { error: `${request.method} is not allowed on ${pathname}: use GET or POST.` });
    } catch (error) {
      if (pgErrorCode(error) === FOREIGN_KEY_VIOLATION) return json(404, { error: `Workspace "${workspaceId}" does not exist.` });
      throw error;
    }
  }
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });
}
