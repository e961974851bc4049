CREATE TABLE "ydtb_users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_users_email_unique" UNIQUE("email")
);

--> statement-breakpoint
CREATE TABLE "ydtb_workspace_members" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_workspace_members_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);

--> statement-breakpoint
CREATE TABLE "ydtb_workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_workspaces_slug_unique" UNIQUE("slug")
);

--> statement-breakpoint
ALTER TABLE "ydtb_workspace_members" ADD CONSTRAINT "ydtb_workspace_members_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_workspace_members" ADD CONSTRAINT "ydtb_workspace_members_user_id_ydtb_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."ydtb_users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ydtb_workspace_members_user_idx" ON "ydtb_workspace_members" USING btree ("user_id");
