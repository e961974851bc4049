/**
 * An error's message, safely: a hostile value may not even stringify, and some libraries
 * (PGlite among them) throw plain objects, which String() would print as "[object Object]".
 */
export function describeError(error: unknown): string {
  try {
    return messageOf(error).slice(0, 500);
  } catch {
    return 'an unprintable error';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error !== 'object' || error === null) return String(error);
  const { message } = error as { message?: unknown };
  if (typeof message === 'string' && message) return message;
  const json = JSON.stringify(error);
  return json && json !== '{}' ? json : `an error without a message (${error.constructor?.name ?? 'no prototype'})`;
}
