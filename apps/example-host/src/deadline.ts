/** A route: answers one request; `signal` aborts once the request's deadline has passed. */
export type Route = (request: Request, signal: AbortSignal) => Promise<Response>;
export type Handler = (request: Request) => Promise<Response>;

export interface DeadlineOptions {
  /** Milliseconds a request may take; past it the client gets 504 and the route's signal aborts. */
  readonly deadlineMs: number;
  /**
   * Requests whose work has not finished (answered or not) above which a new one gets 503 at
   * once: a database that stalls then holds this many requests' work, not every request's.
   */
  readonly maxInFlight: number;
}

/**
 * Every request answered within `deadlineMs`: the route's answer when it comes in time, else 504
 * with Retry-After. The route's own work runs on (a query in flight cannot be taken back), but its
 * signal is aborted so it starts nothing new, and a write checks it before committing.
 */
export function withDeadline(route: Route, { deadlineMs, maxInFlight }: DeadlineOptions): Handler {
  let inFlight = 0;
  return async (request) => {
    if (inFlight >= maxInFlight) return overloaded();
    inFlight++;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<Response>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new DeadlineExceededError(deadlineMs));
        resolve(timedOut(deadlineMs));
      }, deadlineMs);
    });
    const work = route(request, controller.signal).finally(() => {
      inFlight--;
      clearTimeout(timer);
    });
    // A route that fails after the deadline answered has no one to tell: its error is dropped here.
    work.catch(() => undefined);
    return Promise.race([work, late]);
  };
}

/** The reason a route's signal aborts with. */
export class DeadlineExceededError extends Error {
  readonly kind = 'deadline-exceeded' as const;

  constructor(readonly deadlineMs: number) {
    super(`The request did not finish within its ${deadlineMs} ms deadline.`);
    this.name = 'DeadlineExceededError';
  }
}

function timedOut(deadlineMs: number): Response {
  return new Response(JSON.stringify({ error: `The request did not finish within ${deadlineMs / 1000} s (the database is slow or unavailable); retry in a moment.` }), {
    status: 504,
    headers: { 'content-type': 'application/json', 'retry-after': '2' },
  });
}

function overloaded(): Response {
  return new Response(JSON.stringify({ error: 'Too many requests are waiting on the database; retry in a moment.' }), {
    status: 503,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
  });
}
