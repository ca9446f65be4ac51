CREATE TABLE "followup_analyses" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"run_id" text NOT NULL,
	"chat_phone" text NOT NULL,
	"last_message_id" text NOT NULL,
	"last_message_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"claim_id" text,
	"action" text NOT NULL,
	"skip_reason" text,
	"analysis" jsonb,
	"intent_level" text,
	"outcome" text,
	"product_mentioned" text,
	"credits" integer DEFAULT 0 NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followup_opt_outs" (
	"shop_id" text NOT NULL,
	"phone" text NOT NULL,
	"analysis_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "followup_opt_outs_pk" PRIMARY KEY("shop_id","phone")
);
--> statement-breakpoint
CREATE TABLE "followup_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"trigger" text NOT NULL,
	"chat_phone" text,
	"status" text NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"stop_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "followup_settings" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"next_run_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followups" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"analysis_id" text NOT NULL,
	"chat_phone" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"status" text NOT NULL,
	"cancel_reason" text,
	"intent_level" text NOT NULL,
	"outcome" text NOT NULL,
	"product_mentioned" text,
	"customer_objection" text,
	"suggested_message" text NOT NULL,
	"agent_queue" boolean NOT NULL,
	"conversation_from" timestamp with time zone NOT NULL,
	"last_message_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"became_due_at" timestamp with time zone,
	"tracking_until" timestamp with time zone,
	"next_check_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"sent_by_agent_id" text,
	"dismissed_at" timestamp with time zone,
	"dismiss_reason" text,
	"replied_at" timestamp with time zone,
	"converted_at" timestamp with time zone,
	"converted_order" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_chats" ADD COLUMN "last_message_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversation_chats" ADD COLUMN "last_message_id" text;--> statement-breakpoint
-- Chats stored by earlier releases get their newest message from the messages they hold.
UPDATE "conversation_chats" AS "c" SET "last_message_at" = "m"."sent_at", "last_message_id" = "m"."message_id"
FROM (
	SELECT DISTINCT ON ("shop_id", "chat_phone") "shop_id", "chat_phone", "sent_at", "message_id"
	FROM "conversation_messages"
	ORDER BY "shop_id", "chat_phone", "sent_at" DESC, "message_id" DESC
) AS "m"
WHERE "c"."shop_id" = "m"."shop_id" AND "c"."chat_phone" = "m"."chat_phone";--> statement-breakpoint
ALTER TABLE "followup_analyses" ADD CONSTRAINT "followup_analyses_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_opt_outs" ADD CONSTRAINT "followup_opt_outs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_runs" ADD CONSTRAINT "followup_runs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_settings" ADD CONSTRAINT "followup_settings_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "followup_analyses_chat_message" ON "followup_analyses" USING btree ("shop_id","chat_phone","last_message_id");--> statement-breakpoint
CREATE INDEX "followup_analyses_shop_time" ON "followup_analyses" USING btree ("shop_id","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "followup_analyses_run" ON "followup_analyses" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_runs_one_running" ON "followup_runs" USING btree ("shop_id") WHERE "followup_runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "followup_runs_shop_started" ON "followup_runs" USING btree ("shop_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "followup_settings_next_run" ON "followup_settings" USING btree ("next_run_at") WHERE "followup_settings"."next_run_at" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "followups_analysis" ON "followups" USING btree ("analysis_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followups_one_open" ON "followups" USING btree ("shop_id","chat_phone") WHERE "followups"."status" in ('pending', 'due');--> statement-breakpoint
CREATE INDEX "followups_chat" ON "followups" USING btree ("shop_id","chat_phone","created_at");--> statement-breakpoint
CREATE INDEX "followups_shop_status_due" ON "followups" USING btree ("shop_id","status","due_at");--> statement-breakpoint
CREATE INDEX "followups_next_check" ON "followups" USING btree ("next_check_at") WHERE "followups"."next_check_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "followups_awaiting_reply" ON "followups" USING btree ("tracking_until") WHERE "followups"."replied_at" IS NULL AND "followups"."status" in ('due', 'sent');--> statement-breakpoint
CREATE INDEX "conversation_chats_latest" ON "conversation_chats" USING btree ("shop_id","last_message_at" DESC NULLS LAST);