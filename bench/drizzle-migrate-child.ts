import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';

/*
 * The whole-process baseline of `ydtb db migrate`: what a project migrating with drizzle-orm's
 * own migrator runs. `bun bench/drizzle-migrate-child.ts <url> <migrations folder>`.
 */
const [url, migrationsFolder] = process.argv.slice(2);
if (!url || !migrationsFolder) throw new Error('usage: drizzle-migrate-child.ts <url> <migrations folder>');
const sql = postgres(url, { max: 1, onnotice: () => undefined });
await migrate(drizzle({ client: sql }), { migrationsFolder });
await sql.end();
