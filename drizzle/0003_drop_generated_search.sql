DROP INDEX "ticket_messages_search_idx";--> statement-breakpoint
DROP INDEX "tickets_search_idx";--> statement-breakpoint
CREATE INDEX "tickets_activity_idx" ON "tickets" USING btree ("last_message_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "ticket_messages" DROP COLUMN "search";--> statement-breakpoint
ALTER TABLE "tickets" DROP COLUMN "search";