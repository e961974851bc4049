import { parseStatements } from './parse-statements.ts';
import { alterTableCommands } from './lint-rule.ts';

/**
 * The tables whose workspace column a migration changes the type of (`ALTER TABLE t ALTER COLUMN
 * workspace_id TYPE …`): PostgreSQL refuses that while a policy uses the column, so the pipeline
 * lifts the table's workspace policy first, in the migration's transaction, and writes it again
 * with the package's security before that transaction commits. `workspaceColumns` maps each of
 * the package's tenant tables to its workspace column.
 */
export async function workspaceTypeChanges(sql: string, workspaceColumns: ReadonlyMap<string, string>): Promise<string[]> {
  if (workspaceColumns.size === 0 || !/\btype\b/i.test(sql)) return [];
  // SQL that does not parse fails when it runs, with the database's own words.
  const statements = (await parseStatements(sql)) ?? [];
  const tables = new Set<string>();
  for (const raw of statements) {
    if (!raw.stmt) continue;
    for (const { table, cmd } of alterTableCommands(raw.stmt)) {
      if (cmd.subtype === 'AT_AlterColumnType' && cmd.name !== undefined && workspaceColumns.get(table) === cmd.name) tables.add(table);
    }
  }
  return [...tables];
}
