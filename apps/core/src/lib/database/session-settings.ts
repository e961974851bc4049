/**
 * Server-side bounds on what one connection may wait for, sent in the connection's startup
 * packet: they are the session's defaults from its first statement, `RESET` and `DISCARD ALL`
 * return to them, and a transaction may still lower or raise one with `SET LOCAL`. Milliseconds;
 * 0 turns a bound off; an absent one keeps the server's (or role's) setting.
 */
export interface SessionSettings {
  /** `statement_timeout`: a statement running longer is cancelled (SQLSTATE 57014). */
  readonly statementTimeoutMs?: number;
  /** `lock_timeout`: a statement waiting longer for a lock fails (SQLSTATE 55P03). */
  readonly lockTimeoutMs?: number;
  /**
   * `idle_in_transaction_session_timeout`: a session left idle inside a transaction longer is
   * ended by the server (SQLSTATE 25P03), releasing its locks and its connection.
   */
  readonly idleInTransactionTimeoutMs?: number;
}

/** The startup parameters postgres.js sends (`connection` option) for these settings. */
export function startupParameters(settings: SessionSettings): Record<string, string> {
  const parameters: Record<string, string> = {};
  const set = (name: string, value: number | undefined) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of milliseconds (0 for none), not ${value}.`);
    parameters[name] = String(value);
  };
  set('statement_timeout', settings.statementTimeoutMs);
  set('lock_timeout', settings.lockTimeoutMs);
  set('idle_in_transaction_session_timeout', settings.idleInTransactionTimeoutMs);
  return parameters;
}
