/** An error's message, safely: a hostile value may not even stringify. */
export function describeError(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).slice(0, 500);
  } catch {
    return 'an unprintable error';
  }
}
