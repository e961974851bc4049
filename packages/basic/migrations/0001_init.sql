CREATE TYPE "public"."ydtb_basic_note_status" AS ENUM('draft', 'published', 'archived');
--> statement-breakpoint
CREATE TABLE "ydtb_basic_note_tags" (
	"workspace_id" text NOT NULL,
	"note_id" uuid NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "ydtb_basic_note_tags_pk" PRIMARY KEY("workspace_id","note_id","tag")
);

--> statement-breakpoint
CREATE TABLE "ydtb_basic_notes" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"status" "ydtb_basic_note_status" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_basic_notes_pk" PRIMARY KEY("workspace_id","id")
);

--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ADD CONSTRAINT "ydtb_basic_note_tags_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ADD CONSTRAINT "ydtb_basic_note_tags_note_fk" FOREIGN KEY ("workspace_id","note_id") REFERENCES "public"."ydtb_basic_notes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_notes" ADD CONSTRAINT "ydtb_basic_notes_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ydtb_basic_notes_workspace_created_idx" ON "ydtb_basic_notes" USING btree ("workspace_id","created_at");
