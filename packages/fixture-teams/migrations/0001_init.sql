CREATE TYPE "public"."ydtb_teams_status" AS ENUM('pending', 'accepted', 'revoked');
--> statement-breakpoint
CREATE TABLE "ydtb_teams_activity_logs" (
	"id" bigserial NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip_address" varchar(45),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_teams_activity_logs_pk" PRIMARY KEY("workspace_id","id")
);

--> statement-breakpoint
CREATE TABLE "ydtb_teams_invitations" (
	"id" integer GENERATED ALWAYS AS IDENTITY (sequence name "ydtb_teams_invitations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"email" varchar(255) NOT NULL,
	"role" varchar(50) DEFAULT 'member' NOT NULL,
	"invited_by" text,
	"status" "ydtb_teams_status" DEFAULT 'pending' NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_teams_invitations_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "ydtb_teams_invitations_email_key" UNIQUE("workspace_id","email")
);

--> statement-breakpoint
ALTER TABLE "ydtb_teams_activity_logs" ADD CONSTRAINT "ydtb_teams_activity_logs_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_teams_activity_logs" ADD CONSTRAINT "ydtb_teams_activity_logs_user_id_ydtb_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."ydtb_users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_teams_invitations" ADD CONSTRAINT "ydtb_teams_invitations_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_teams_invitations" ADD CONSTRAINT "ydtb_teams_invitations_invited_by_ydtb_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."ydtb_users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ydtb_teams_activity_logs_at_idx" ON "ydtb_teams_activity_logs" USING btree ("workspace_id","at");
--> statement-breakpoint
CREATE VIEW "public"."ydtb_teams_pending_invitations" WITH (security_invoker = true) AS (select "workspace_id", "email", "invited_at" from "ydtb_teams_invitations" where "ydtb_teams_invitations"."status" = 'pending');
