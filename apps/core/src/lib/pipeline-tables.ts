/**
 * The tables ydtb keeps for itself beside the packages' tables: the migration history, the repairs
 * audit, the schema epoch and the workspace erasures audit. Their names, and every name a table
 * gives its keys, indexes and sequences (`<table>_…`), belong to the pipeline: no package may
 * declare one (rule ydtb/identifiers), and the catalog check does not count them as unregistered.
 */
export const PIPELINE_TABLES = {
  history: 'ydtb_migration_history',
  repairs: 'ydtb_migration_repairs',
  epoch: 'ydtb_schema_epoch',
  erasures: 'ydtb_workspace_erasures',
} as const;

const NAMES: readonly string[] = Object.values(PIPELINE_TABLES);

export function isPipelineTable(name: string): boolean {
  return NAMES.includes(name);
}

/** A pipeline table, or a key, index or sequence named after one. */
export function isPipelineRelation(name: string): boolean {
  return NAMES.some((table) => name === table || name.startsWith(`${table}_`));
}

/**
 * The functions ydtb keeps for itself: the history's redeem function (SECURITY DEFINER, run only
 * by package roles inside their own transaction). Not a package's side door, never the application's.
 */
export const PIPELINE_FUNCTIONS = {
  redeem: 'ydtb_migration_history_redeem',
} as const;

const FUNCTION_NAMES: readonly string[] = Object.values(PIPELINE_FUNCTIONS);

export function isPipelineFunction(name: string): boolean {
  return FUNCTION_NAMES.includes(name);
}
