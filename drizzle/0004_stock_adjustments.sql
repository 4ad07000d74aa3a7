CREATE TABLE "stock_adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"stock_after" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_adjustments_quantity_nonzero" CHECK ("stock_adjustments"."quantity" <> 0)
);
--> statement-breakpoint
ALTER TABLE "stock_adjustments" ADD CONSTRAINT "stock_adjustments_sku_products_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."products"("sku") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_adjustments_actor_key_idx" ON "stock_adjustments" USING btree ("actor","idempotency_key");--> statement-breakpoint
CREATE INDEX "stock_adjustments_sku_created_idx" ON "stock_adjustments" USING btree ("sku","created_at");