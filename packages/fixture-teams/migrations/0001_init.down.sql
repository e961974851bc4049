-- Undoes 0001_init.sql: the schema goes back to what it was before it.
-- Data is not restored: rows of tables and columns this file drops are lost, and tables or
-- columns that 0001_init.sql dropped come back empty.
DROP VIEW "public"."ydtb_teams_pending_invitations";
--> statement-breakpoint
DROP TABLE "ydtb_teams_activity_logs" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_teams_invitations" CASCADE;
--> statement-breakpoint
DROP TYPE "public"."ydtb_teams_status";
