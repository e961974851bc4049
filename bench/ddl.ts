import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { syntheticSchema } from './synthetic';

/** drizzle-kit's statement separator, the one `ydtb db generate` writes into migration files. */
export const BREAKPOINT = '\n--> statement-breakpoint\n';

/**
 * The DDL of a schema as `ydtb db generate` writes a first migration: drizzle-kit's diff against
 * an empty snapshot, statements joined with drizzle-kit's breakpoint.
 */
export async function ddlOf(schema: Record<string, unknown>): Promise<string> {
  const empty = generateDrizzleJson({});
  const statements = await generateMigration(empty, generateDrizzleJson(schema, empty.id));
  return `${statements.join(BREAKPOINT)}\n`;
}

/** Each package's DDL, generated once per package with drizzle-kit (about 1 ms a package). */
export async function generateDdl(count: number): Promise<string[]> {
  const ddl: string[] = [];
  for (let i = 0; i < count; i++) ddl.push(await ddlOf(syntheticSchema(i)));
  return ddl;
}
