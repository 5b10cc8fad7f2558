CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_closed_idx" ON "tickets" USING btree ("closed_at") WHERE "tickets"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX "tickets_queue_counts_idx" ON "tickets" USING btree ("status","assignee_id","due_at");