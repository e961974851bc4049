/**
 * A migration's DDL waits for its lock at most the session's lock_timeout (`ydtb db migrate`
 * opens the server with YDTB_LOCK_TIMEOUT, 3 s by default), so that an `ALTER TABLE` queued behind
 * a long reader does not hold every later query of the application behind it. A step that failed
 * for that (SQLSTATE 55P03; its transaction rolled back) is run again after a pause, a bounded
 * number of times: the whole wait is at most attempts × lock_timeout + the pauses (5 × 3 s + 12 s
 * = 27 s by default), and the application waits at most one lock_timeout at a time.
 */
export const LOCK_NOT_AVAILABLE = '55P03';

export interface LockRetryOptions {
  /** Runs in all, the first included. */
  readonly attempts?: number;
  /** Pause before the second run; doubled each time, up to `maxPauseMs`. */
  readonly firstPauseMs?: number;
  readonly maxPauseMs?: number;
  /** Told before each pause, with the run that failed (1-based). */
  readonly onRetry?: (failedAttempt: number, pauseMs: number) => void;
}

export const LOCK_RETRY_DEFAULTS = { attempts: 5, firstPauseMs: 1_000, maxPauseMs: 5_000 } as const;

/**
 * Runs `step` (a whole transaction, or a statement outside one: something a lock timeout leaves
 * undone) and runs it again while it fails only for a lock it did not get in time. Any other
 * error, or the last attempt's, is thrown as it is.
 */
export async function retryOnLockTimeout<T>(step: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const { attempts, firstPauseMs, maxPauseMs } = { ...LOCK_RETRY_DEFAULTS, ...options };
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts || !isLockTimeout(error)) throw error;
      const pauseMs = Math.min(maxPauseMs, firstPauseMs * 2 ** (attempt - 1));
      options.onRetry?.(attempt, pauseMs);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** SQLSTATE 55P03, on the error, in what the migrator wraps it in (`database`), or in its causes. */
export function isLockTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code, database } = current as { code?: unknown; database?: { code?: unknown } };
    if (code === LOCK_NOT_AVAILABLE || database?.code === LOCK_NOT_AVAILABLE) return true;
  }
  return false;
}
