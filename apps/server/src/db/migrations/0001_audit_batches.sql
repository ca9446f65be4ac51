CREATE TABLE "panel_lookup_audit_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "panel_lookup_audit_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"shop_id" text NOT NULL,
	"oldest_at" timestamp with time zone NOT NULL,
	"newest_at" timestamp with time zone NOT NULL,
	"agent_ids" text[] NOT NULL,
	"phones" text[] NOT NULL,
	"statuses" text[] NOT NULL,
	"cached" boolean[] NOT NULL,
	"looked_up_at" timestamp with time zone[] NOT NULL
);
--> statement-breakpoint
-- Lookups recorded one row each by earlier releases move into batches of at most 200 per shop, oldest first.
INSERT INTO "panel_lookup_audit_batches" ("shop_id", "oldest_at", "newest_at", "agent_ids", "phones", "statuses", "cached", "looked_up_at")
SELECT "shop_id", min("looked_up_at"), max("looked_up_at"),
	array_agg("agent_id" ORDER BY "looked_up_at", "id"),
	array_agg("phone" ORDER BY "looked_up_at", "id"),
	array_agg("status" ORDER BY "looked_up_at", "id"),
	array_agg("cached" ORDER BY "looked_up_at", "id"),
	array_agg("looked_up_at" ORDER BY "looked_up_at", "id")
FROM (
	SELECT *, (row_number() OVER (PARTITION BY "shop_id" ORDER BY "looked_up_at", "id") - 1) / 200 AS "batch"
	FROM "panel_lookup_audit"
) AS "numbered"
GROUP BY "shop_id", "batch"
ORDER BY "shop_id", "batch";--> statement-breakpoint
DROP TABLE "panel_lookup_audit" CASCADE;--> statement-breakpoint
CREATE INDEX "panel_lookup_audit_batches_shop_newest" ON "panel_lookup_audit_batches" USING btree ("shop_id","newest_at" DESC NULLS LAST);