CREATE TABLE "shopify_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"gid" text NOT NULL,
	"shop_updated_at" timestamp with time zone NOT NULL,
	"financial_status" text DEFAULT '' NOT NULL,
	"fulfillment_status" text DEFAULT '' NOT NULL,
	"status_page_url" text,
	"is_test" boolean DEFAULT false NOT NULL,
	"linked_by_id" uuid
);
--> statement-breakpoint
CREATE TABLE "shopify_sync" (
	"kind" text PRIMARY KEY NOT NULL,
	"since" timestamp with time zone,
	"cursor" text,
	"run_since" timestamp with time zone,
	"imported" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "prices" ADD COLUMN "shopify_variant_id" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "shopify_product_id" text;--> statement-breakpoint
ALTER TABLE "shopify_orders" ADD CONSTRAINT "shopify_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopify_orders" ADD CONSTRAINT "shopify_orders_linked_by_id_users_id_fk" FOREIGN KEY ("linked_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shopify_orders_gid_key" ON "shopify_orders" USING btree ("gid");--> statement-breakpoint
CREATE UNIQUE INDEX "prices_shopify_variant_key" ON "prices" USING btree ("shopify_variant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_shopify_key" ON "products" USING btree ("shopify_product_id");