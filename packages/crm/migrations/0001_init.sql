CREATE TABLE "ydtb_crm_contact_notes" (
	"workspace_id" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	CONSTRAINT "ydtb_crm_contact_notes_pk" PRIMARY KEY("workspace_id","contact_id","note_id")
);

--> statement-breakpoint
CREATE TABLE "ydtb_crm_contacts" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_crm_contacts_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "ydtb_crm_contacts_email_key" UNIQUE("workspace_id","email")
);

--> statement-breakpoint
ALTER TABLE "ydtb_crm_contact_notes" ADD CONSTRAINT "ydtb_crm_contact_notes_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_crm_contact_notes" ADD CONSTRAINT "ydtb_crm_contact_notes_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."ydtb_crm_contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_crm_contact_notes" ADD CONSTRAINT "ydtb_crm_contact_notes_note_fk" FOREIGN KEY ("workspace_id","note_id") REFERENCES "public"."ydtb_basic_notes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_crm_contacts" ADD CONSTRAINT "ydtb_crm_contacts_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
