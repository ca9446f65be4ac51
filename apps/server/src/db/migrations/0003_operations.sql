-- Operations: process heartbeats, token and agent lifecycle, sealed secrets bound to their row.
SELECT 1;
--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "disabled_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "last_used_at" timestamp with time zone;
