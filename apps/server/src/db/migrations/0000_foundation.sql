CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"nickname" text NOT NULL,
	"name" text NOT NULL,
	"permissions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_settings" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"base_url" text,
	"model" text,
	"api_key" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"kind" text NOT NULL,
	"agent_id" text,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conversation_chats" (
	"shop_id" text NOT NULL,
	"chat_phone" text NOT NULL,
	"chat_name" text,
	"first_seen_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_chats_pk" PRIMARY KEY("shop_id","chat_phone")
);
--> statement-breakpoint
CREATE TABLE "conversation_messages" (
	"shop_id" text NOT NULL,
	"chat_phone" text NOT NULL,
	"message_id" text NOT NULL,
	"direction" text NOT NULL,
	"text" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_messages_pk" PRIMARY KEY("shop_id","chat_phone","message_id")
);
--> statement-breakpoint
CREATE TABLE "credit_balances" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"free_left" bigint NOT NULL,
	"purchased_left" bigint NOT NULL,
	"reserved" bigint DEFAULT 0 NOT NULL,
	"reserved_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"free_delta" bigint DEFAULT 0 NOT NULL,
	"purchased_delta" bigint DEFAULT 0 NOT NULL,
	"feature" text,
	"reference" text,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"unbilled" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"type" text NOT NULL,
	"url" text NOT NULL,
	"method" text NOT NULL,
	"credentials" text,
	"timeout_ms" integer DEFAULT 60000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"consecutive_errors" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"last_probe_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_functions" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"parameters" jsonb NOT NULL,
	"url" text NOT NULL,
	"method" text NOT NULL,
	"format" text DEFAULT 'json' NOT NULL,
	"credentials" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detected_phones" (
	"shop_id" text NOT NULL,
	"phone" text NOT NULL,
	"source" text NOT NULL,
	"chat_phone" text NOT NULL,
	"message_id" text,
	"detected_at" timestamp with time zone NOT NULL,
	CONSTRAINT "detected_phones_pk" PRIMARY KEY("shop_id","phone")
);
--> statement-breakpoint
CREATE TABLE "function_call_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"reply_id" text NOT NULL,
	"function_name" text NOT NULL,
	"arguments" jsonb NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"error" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panel_links" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"chat_phone" text NOT NULL,
	"customer_key" text NOT NULL,
	"customer_id" text,
	"customer_phone" text,
	"customer_name" text,
	"customer_email" text,
	"created_by_agent_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panel_lookup_audit" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "panel_lookup_audit_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"shop_id" text NOT NULL,
	"agent_id" text,
	"phone" text NOT NULL,
	"status" text NOT NULL,
	"cached" boolean NOT NULL,
	"looked_up_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shops" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country" text DEFAULT 'ES' NOT NULL,
	"timezone" text DEFAULT 'Europe/Madrid' NOT NULL,
	"locale" text DEFAULT 'es-ES' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_signing_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"event_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"error_class" text,
	"error_code" text,
	"error_message" text,
	"response_excerpt" text,
	CONSTRAINT "webhook_attempts_event_id_attempt_pk" PRIMARY KEY("event_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "webhook_configs" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"url" text,
	"events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"secret" text,
	"timeout_ms" integer DEFAULT 180000 NOT NULL,
	"paused_at" timestamp with time zone,
	"pause_reason" text,
	"next_probe_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"event_id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"schedule_start" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"event" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_settings" ADD CONSTRAINT "ai_settings_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_chats" ADD CONSTRAINT "conversation_chats_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_chat_fk" FOREIGN KEY ("shop_id","chat_phone") REFERENCES "public"."conversation_chats"("shop_id","chat_phone") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_balances" ADD CONSTRAINT "credit_balances_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_endpoints" ADD CONSTRAINT "crm_endpoints_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_functions" ADD CONSTRAINT "custom_functions_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detected_phones" ADD CONSTRAINT "detected_phones_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "function_call_logs" ADD CONSTRAINT "function_call_logs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_links" ADD CONSTRAINT "panel_links_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_configs" ADD CONSTRAINT "webhook_configs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_shop_nickname" ON "agents" USING btree ("shop_id","nickname");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_shop" ON "api_tokens" USING btree ("shop_id");--> statement-breakpoint
CREATE INDEX "conversation_messages_latest" ON "conversation_messages" USING btree ("shop_id","chat_phone","sent_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_purchase_reference" ON "credit_ledger" USING btree ("shop_id","reference") WHERE "credit_ledger"."kind" = 'purchase';--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_monthly_grant" ON "credit_ledger" USING btree ("shop_id","period") WHERE "credit_ledger"."kind" = 'monthly_grant';--> statement-breakpoint
CREATE INDEX "credit_ledger_shop_created" ON "credit_ledger" USING btree ("shop_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_endpoints_shop_type" ON "crm_endpoints" USING btree ("shop_id","type");--> statement-breakpoint
CREATE INDEX "crm_endpoints_disabled" ON "crm_endpoints" USING btree ("disabled_at") WHERE "crm_endpoints"."enabled" = false;--> statement-breakpoint
CREATE UNIQUE INDEX "custom_functions_shop_name" ON "custom_functions" USING btree ("shop_id","name");--> statement-breakpoint
CREATE INDEX "function_call_logs_shop_time" ON "function_call_logs" USING btree ("shop_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "function_call_logs_shop_name_time" ON "function_call_logs" USING btree ("shop_id","function_name","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "panel_links_chat_customer" ON "panel_links" USING btree ("shop_id","chat_phone","customer_key");--> statement-breakpoint
CREATE INDEX "panel_lookup_audit_shop_time" ON "panel_lookup_audit" USING btree ("shop_id","looked_up_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "panel_lookup_audit_shop_phone_time" ON "panel_lookup_audit" USING btree ("shop_id","phone","looked_up_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" USING btree ("shop_id","due_at") WHERE "webhook_deliveries"."status" in ('queued', 'delivering');--> statement-breakpoint
CREATE INDEX "webhook_events_shop_created" ON "webhook_events" USING btree ("shop_id","created_at","id");