DROP INDEX "canned_replies_title_key";--> statement-breakpoint
DROP INDEX "departments_name_key";--> statement-breakpoint
DROP INDEX "help_topics_name_key";--> statement-breakpoint
DROP INDEX "sla_plans_name_key";--> statement-breakpoint
CREATE UNIQUE INDEX "canned_replies_title_lower_key" ON "canned_replies" USING btree (lower("title"));--> statement-breakpoint
CREATE UNIQUE INDEX "departments_name_lower_key" ON "departments" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "help_topics_name_lower_key" ON "help_topics" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "sla_plans_name_lower_key" ON "sla_plans" USING btree (lower("name"));