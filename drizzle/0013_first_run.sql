CREATE TABLE "installation" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"company_name" text,
	"support_address" text,
	"set_up_by_id" uuid,
	"set_up_at" timestamp with time zone NOT NULL,
	CONSTRAINT "installation_single_row" CHECK ("installation"."id")
);
--> statement-breakpoint
CREATE TABLE "setup_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "installation" ADD CONSTRAINT "installation_set_up_by_id_users_id_fk" FOREIGN KEY ("set_up_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;