-- Operations: process heartbeats, token and agent lifecycle, console sessions, indexes that match the
-- deliveries and audit reads. Written by hand (drizzle-kit cannot write the backfill of
-- webhook_deliveries.created_at); meta/0003_snapshot.json is what drizzle-kit generates from schema.ts.
ALTER TABLE "shops" ADD COLUMN "disabled_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "last_used_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE "console_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"shop_id" text,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "console_sessions_expires" ON "console_sessions" USING btree ("expires_at");
--> statement-breakpoint
CREATE TABLE "process_heartbeats" (
	"process_id" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "claimed_by" text;
--> statement-breakpoint
ALTER TABLE "followup_runs" ADD COLUMN "claimed_by" text;
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_claimed_by" ON "webhook_deliveries" USING btree ("claimed_by") WHERE "webhook_deliveries"."status" = 'delivering';
--> statement-breakpoint
CREATE INDEX "panel_lookup_audit_batches_phones" ON "panel_lookup_audit_batches" USING gin ("phones");
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "created_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "webhook_deliveries" AS d SET "created_at" = e."created_at" FROM "webhook_events" AS e WHERE e."id" = d."event_id";
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "created_at" SET NOT NULL;
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_shop_listed_status" ON "webhook_deliveries" USING btree ("shop_id",(CASE WHEN "webhook_deliveries"."status" = 'queued' THEN CASE WHEN "webhook_deliveries"."attempts" = 0 THEN 'pending' ELSE 'failed' END ELSE "webhook_deliveries"."status" END),"created_at","event_id");
--> statement-breakpoint
CREATE INDEX "webhook_events_shop_event_created" ON "webhook_events" USING btree ("shop_id","event","created_at","id");
