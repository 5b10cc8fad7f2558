CREATE TABLE "imap_cursors" (
	"receiving_address" text NOT NULL,
	"folder" text NOT NULL,
	"uid_validity" bigint NOT NULL,
	"last_uid" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imap_cursors_receiving_address_folder_pk" PRIMARY KEY("receiving_address","folder")
);
--> statement-breakpoint
CREATE INDEX "inbound_mail_processed_idx" ON "inbound_mail" USING btree ("processed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_mail_from_idx" ON "inbound_mail" USING btree (lower("from_address"),"processed_at");