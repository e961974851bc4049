-- Undoes 0001_init.sql: the schema goes back to what it was before it.
-- Data is not restored: rows of tables and columns this file drops are lost, and tables or
-- columns that 0001_init.sql dropped come back empty.
DROP TABLE "ydtb_invoicing_currencies" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_customers" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_invoices" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_projects" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_recurring_invoice_schedules" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_tags" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_time_entries" CASCADE;
--> statement-breakpoint
DROP TABLE "ydtb_invoicing_time_entry_tags" CASCADE;
--> statement-breakpoint
DROP TYPE "public"."ydtb_invoicing_status";
