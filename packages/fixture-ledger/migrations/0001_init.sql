CREATE TABLE "ydtb_ledger_accounts" (
	"id" varchar(36) NOT NULL,
	"workspace_id" varchar(256) NOT NULL,
	"name" varchar(255) NOT NULL,
	"created_by" varchar(256),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_ledger_accounts_pk" PRIMARY KEY("workspace_id","id")
);

--> statement-breakpoint
CREATE TABLE "ydtb_ledger_entries" (
	"id" varchar(36) NOT NULL,
	"workspace_id" varchar(256) NOT NULL,
	"account_id" varchar(36) NOT NULL,
	"amount_cents" integer NOT NULL,
	"memo" varchar(512),
	CONSTRAINT "ydtb_ledger_entries_pk" PRIMARY KEY("workspace_id","id")
);

--> statement-breakpoint
ALTER TABLE "ydtb_ledger_accounts" ADD CONSTRAINT "ydtb_ledger_accounts_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_ledger_accounts" ADD CONSTRAINT "ydtb_ledger_accounts_created_by_ydtb_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."ydtb_users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_ledger_entries" ADD CONSTRAINT "ydtb_ledger_entries_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ydtb_ledger_entries" ADD CONSTRAINT "ydtb_ledger_entries_account_fk" FOREIGN KEY ("workspace_id","account_id") REFERENCES "public"."ydtb_ledger_accounts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ydtb_ledger_accounts_created_by_idx" ON "ydtb_ledger_accounts" USING btree ("created_by");
--> statement-breakpoint
CREATE INDEX "ydtb_ledger_entries_account_idx" ON "ydtb_ledger_entries" USING btree ("workspace_id","account_id");
