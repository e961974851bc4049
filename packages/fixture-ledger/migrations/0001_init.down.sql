-- Undoes 0001_init.sql: the schema goes back to what it was before it.
-- Data is not restored: rows of tables and columns this file drops are lost, and tables or
-- columns that 0001_init.sql dropped come back empty.
DROP TABLE "ydtb_ledger_accounts" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_ledger_entries" CASCADE;
