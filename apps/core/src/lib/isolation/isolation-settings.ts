/** The transaction-local setting that names the current workspace. */
export const WORKSPACE_SETTING = 'ydtb.workspace_id';

/** The policy every package table carries. */
export const POLICY_NAME = 'ydtb_workspace_isolation';

/**
 * The role application code runs as: it may read and write package tables but owns none of
 * them, so forced row-level security always applies to it. NOLOGIN: login roles are granted it.
 */
export const APP_ROLE = 'ydtb_app';

/**
 * Set (transaction-local) by the pipeline in a package's migration session to the package's
 * role: the migration policy lets that role see and change every row of its own tables then, as
 * a data migration must. Everywhere else the role is bound by the workspace policy like anyone.
 */
export const MIGRATING_SETTING = 'ydtb.migrating_role';

/** The policy every package table carries beside the workspace policy, for its package's migrations. */
export const MIGRATION_POLICY_NAME = 'ydtb_package_migration';

/**
 * The role that owns every workspace lookup function: NOLOGIN, no BYPASSRLS, granted only
 * `SELECT (<key column>, <workspace column>)` on the tables lookups read, which a policy for it
 * alone lets it read across workspaces. What a lookup function runs can read nothing else.
 */
export const LOOKUP_ROLE = 'ydtb_lookup';

/** The policy that lets LOOKUP_ROLE read a lookup table's rows (only the columns it was granted). */
export const LOOKUP_POLICY_NAME = 'ydtb_workspace_lookup';
