-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __gateway_migrations table.
CREATE SCHEMA IF NOT EXISTS "payment_gateway";
--> statement-breakpoint
CREATE TABLE "payment_gateway"."charges" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"order_id" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"token_last4" text NOT NULL,
	"status" text NOT NULL,
	"request_fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "charges_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "charges_amount_positive" CHECK ("payment_gateway"."charges"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "payment_gateway"."declined_charges" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"request_fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_gateway"."refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"charge_idempotency_key" text NOT NULL,
	"charge_id" text,
	"order_id" text NOT NULL,
	"amount" integer NOT NULL,
	"status" text NOT NULL,
	"request_fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "refunds_charge_idempotency_key_unique" UNIQUE("charge_idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "payment_gateway"."refunds" ADD CONSTRAINT "refunds_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "payment_gateway"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "charges_order_idx" ON "payment_gateway"."charges" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "payment_gateway"."refunds" USING btree ("order_id");