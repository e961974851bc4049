/** The transaction-local setting that names the current workspace. */
export const WORKSPACE_SETTING = 'ydtb.workspace_id';

/** The policy every package table carries. */
export const POLICY_NAME = 'ydtb_workspace_isolation';

/**
 * The role application code runs as: it may read and write package tables but owns none of
 * them, so forced row-level security always applies to it. NOLOGIN: login roles are granted it.
 */
export const APP_ROLE = 'ydtb_app';
