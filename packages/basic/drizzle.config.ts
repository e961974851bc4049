import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit's view of @ydtb/basic, for `drizzle-kit studio` and `drizzle-kit check`.
 * Migrations are written by `ydtb db generate` and applied by `ydtb db migrate`, never by
 * drizzle-kit: its `push` and `migrate` bypass the registry.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
  // Only this package's tables; studio connects with the URL it is given.
  tablesFilter: ['ydtb_basic_*'],
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/ydtb' },
});
