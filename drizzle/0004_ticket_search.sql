ALTER TABLE "tickets" ADD COLUMN "search_all" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search_public" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_search_all_idx" ON "tickets" USING gin ("search_all");--> statement-breakpoint
CREATE INDEX "tickets_search_public_idx" ON "tickets" USING gin ("search_public");