-- Undoes 0001_init.sql: the schema goes back to what it was before it.
-- Data is not restored: rows of tables and columns this file drops are lost, and tables or
-- columns that 0001_init.sql dropped come back empty.
DROP TABLE "ydtb_basic_note_tags" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_basic_notes" CASCADE;
--> statement-breakpoint
DROP TYPE "public"."ydtb_basic_note_status";
