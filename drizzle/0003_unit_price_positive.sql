ALTER TABLE "products" DROP CONSTRAINT "products_unit_price_nonnegative";--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_price_positive" CHECK ("order_items"."unit_price" > 0);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_unit_price_positive" CHECK ("products"."unit_price" > 0);