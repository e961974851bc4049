/**
 * `withWorkspace` was called with a transaction that is not already in the same workspace as the
 * application role: another workspace's transaction, or a transaction that set none. Running it
 * would leave the outer transaction in the inner workspace (a `set_config(…, true)` made inside a
 * savepoint outlives the savepoint's release), so it is refused before anything runs.
 */
export class NestedWorkspaceError extends Error {
  readonly kind = 'nested-workspace' as const;

  constructor(
    /** The workspace the nested call asked for. */
    readonly requestedWorkspace: string,
    /** The workspace the enclosing transaction is in; null when it set none. */
    readonly currentWorkspace: string | null,
  ) {
    const outer = currentWorkspace === null ? 'a transaction that is in no workspace' : `a transaction of workspace "${currentWorkspace}"`;
    super(
      `withWorkspace(…, "${requestedWorkspace}", …) was called with ${outer}. A workspace cannot be opened inside another transaction: ` +
        `the outer transaction would go on in "${requestedWorkspace}". Pass the transaction on to the code that needs it instead of opening a workspace ` +
        `inside another, or call withWorkspace with the database (not a transaction) for a separate unit of work.`,
    );
    this.name = 'NestedWorkspaceError';
  }
}
