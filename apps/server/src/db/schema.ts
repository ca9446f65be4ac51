/**
 * The one drizzle schema. SQL migrations under ./migrations are generated from it
 * (`npm run db:generate -w apps/server`) and applied at start. Keep it PostgreSQL 15
 * compatible: PGlite is PostgreSQL 18, production servers may be older.
 */

import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import {
  crmEndpointMethods,
  followupActions,
  followupCancelReasons,
  followupIntentLevels,
  followupOutcomes,
  followupSkipReasons,
  followupStatuses,
  type FollowupAnalysis,
  type SmartFollowupSettings,
  crmEndpointTypes,
  customFunctionFormats,
  customFunctionMethods,
  messageDirections,
  type PanelCallStatus,
  phoneDetectionSources,
  toolCallStatuses,
  webhookEventTypes,
  webhookPauseReasons,
} from '@parley/contract';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Server-wide facts such as the admin token hash and whether the first start has happened. */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: updatedAt(),
});

export interface ShopSettings {
  /** When true, confirmed writes over MCP must also pass the preview's confirmation_token. */
  requireConfirmationToken?: boolean;
}

export const shops = pgTable('shops', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  country: text('country').notNull().default('ES'),
  timezone: text('timezone').notNull().default('Europe/Madrid'),
  locale: text('locale').notNull().default('es-ES'),
  settings: jsonb('settings').$type<ShopSettings>().notNull().default({}),
  /** Encrypted: the HMAC key that signs every CRM request (docs/crm-endpoints.md#verifying-the-signature). */
  requestSigningSecret: text('request_signing_secret').notNull(),
  createdAt: createdAt(),
  /** Set by the admin: every token of the shop is refused and its webhook deliveries wait until cleared. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    nickname: text('nickname').notNull(),
    name: text('name').notNull(),
    permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('agents_shop_nickname').on(t.shopId, t.nickname)],
);

/** Shop and agent tokens, stored only as SHA-256 hashes (the tokens are 256-bit random). */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['shop', 'agent'] }).notNull(),
    agentId: text('agent_id').references(() => agents.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, so an operator can tell tokens apart without the secret. */
    tokenPrefix: text('token_prefix').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Written at most once a minute per token and process (features/shops/token-use.ts), not on every request. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_shop').on(t.shopId)],
);

export const webhookConfigs = pgTable('webhook_configs', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(false),
  url: text('url'),
  events: jsonb('events').$type<string[]>().notNull().default([]),
  /** Encrypted. */
  secret: text('secret'),
  timeoutMs: integer('timeout_ms').notNull().default(180_000),
  /**
   * Set when delivery pauses: the receiver answered 410 Gone, or every attempt failed for 5 days.
   * Events are still stored; the first success (a 6-hourly probe, a redelivery) or configuring
   * the webhook again resumes it.
   */
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  pauseReason: text('pause_reason', { enum: webhookPauseReasons }),
  nextProbeAt: timestamp('next_probe_at', { withTimezone: true }),
  /** The first failure since the last success: 5 days after it, failures pause the webhook. */
  failingSince: timestamp('failing_since', { withTimezone: true }),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  updatedAt: updatedAt(),
});

/** One row per webhook event, immutable: what happened, and the exact bytes every attempt sends. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    event: text('event', { enum: webhookEventTypes }).notNull(),
    /** The serialized `{"id","event","timestamp","data"}`, written once (docs/webhooks.md#events). */
    body: text('body').notNull(),
    /** From the app clock, not the database's, so schedules and listings agree with each other. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('webhook_events_shop_created').on(t.shopId, t.createdAt, t.id),
    /** list_webhook_deliveries by event, newest first. */
    index('webhook_events_shop_event_created').on(t.shopId, t.event, t.createdAt, t.id),
  ],
);

export const webhookDeliveryRowStatuses = ['queued', 'delivering', 'delivered', 'exhausted'] as const;

/** The delivery job of an event: the queue is this table (docs/decisions/webhook-delivery.md). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    eventId: text('event_id')
      .primaryKey()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    status: text('status', { enum: webhookDeliveryRowStatuses }).notNull(),
    /** Attempts started so far; the next one sends X-Webhook-Attempt: attempts + 1. */
    attempts: integer('attempts').notNull().default(0),
    /** `attempts` when the current retry schedule began: recovering a delivery gives it a fresh one. */
    scheduleStart: integer('schedule_start').notNull().default(0),
    /**
     * queued: when the next attempt may start. delivering: when the claim's lease ends; a claim still
     * held then was lost with its process, and the delivery is due again.
     */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /**
     * delivering: the process (`process_heartbeats`) that holds the claim; once it stops beating the
     * claim is released before its lease ends. Null for claims made outside the worker.
     */
    claimedBy: text('claimed_by'),
    /** The event's `created_at`, copied so that a listing by status reads one index in order. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    /** list_webhook_deliveries by status, newest first (features/webhooks/delivery-list.ts). */
    index('webhook_deliveries_shop_listed_status').on(
      t.shopId,
      sql`(CASE WHEN ${t.status} = 'queued' THEN CASE WHEN ${t.attempts} = 0 THEN 'pending' ELSE 'failed' END ELSE ${t.status} END)`,
      t.createdAt,
      t.eventId,
    ),
    index('webhook_deliveries_claimed_by')
      .on(t.claimedBy)
      .where(sql`${t.status} = 'delivering'`),
    index('webhook_deliveries_due')
      .on(t.shopId, t.dueAt)
      .where(sql`${t.status} in ('queued', 'delivering')`),
  ],
);

export const webhookAttemptOutcomes = ['delivered', 'failed', 'interrupted'] as const;

/** Every attempt: what was answered, how fast, and why it failed. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: webhookAttemptOutcomes }).notNull(),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms'),
    errorClass: text('error_class'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** The first 4 KB of the response body, decoded as UTF-8. */
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.attempt] })],
);

export const crmEndpoints = pgTable(
  'crm_endpoints',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    // Enums on text columns type the rows only; the contract validates on save, the SQL stays plain text.
    type: text('type', { enum: crmEndpointTypes }).notNull(),
    url: text('url').notNull(),
    method: text('method', { enum: crmEndpointMethods }).notNull(),
    /** Encrypted JSON of {token, headers, auth}: everything that may carry a credential. */
    credentials: text('credentials'),
    timeoutMs: integer('timeout_ms').notNull().default(60_000),
    enabled: boolean('enabled').notNull().default(true),
    consecutiveErrors: integer('consecutive_errors').notNull().default(0),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** The last self-healing probe of a disabled endpoint; with disabled_at it decides the next one. */
    lastProbeAt: timestamp('last_probe_at', { withTimezone: true }),
    createdAt: createdAt(),
    /** When the settings last changed (saved or reset); health counters do not touch it. */
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('crm_endpoints_shop_type').on(t.shopId, t.type),
    // The probe looks for disabled endpoints of every shop; they are few, the table is not.
    index('crm_endpoints_disabled')
      .on(t.disabledAt)
      .where(sql`${t.enabled} = false`),
  ],
);

export const customFunctions = pgTable(
  'custom_functions',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
    url: text('url').notNull(),
    method: text('method', { enum: customFunctionMethods }).notNull(),
    format: text('format', { enum: customFunctionFormats }).notNull().default('json'),
    /** Encrypted JSON of {headers, auth}. */
    credentials: text('credentials'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('custom_functions_shop_name').on(t.shopId, t.name)],
);

/**
 * A conversation as one shop sees it (docs/conversations.md); its row also serializes concurrent intakes of
 * one chat.
 */
export const conversationChats = pgTable(
  'conversation_chats',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    chatPhone: text('chat_phone').notNull(),
    /** The name the channel shows for the chat (WhatsApp contact name); context for the AI. */
    chatName: text('chat_name'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    /**
     * The chat's newest message by `sent_at`, kept by intake: Smart Follow-up picks conversations by
     * their latest activity without scanning messages, and never analyses one twice for the same one.
     */
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    lastMessageId: text('last_message_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'conversation_chats_pk', columns: [t.shopId, t.chatPhone] }),
    index('conversation_chats_latest').on(t.shopId, t.lastMessageAt.desc()),
  ],
);

/** Messages as the channel sent them; the key is the channel's message id, so intake is idempotent. */
export const conversationMessages = pgTable(
  'conversation_messages',
  {
    shopId: text('shop_id').notNull(),
    chatPhone: text('chat_phone').notNull(),
    messageId: text('message_id').notNull(),
    direction: text('direction', { enum: messageDirections }).notNull(),
    text: text('text').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'conversation_messages_pk', columns: [t.shopId, t.chatPhone, t.messageId] }),
    foreignKey({
      name: 'conversation_messages_chat_fk',
      columns: [t.shopId, t.chatPhone],
      foreignColumns: [conversationChats.shopId, conversationChats.chatPhone],
    }).onDelete('cascade'),
    // "The latest N messages of a chat", what the AI assistant reads as context.
    index('conversation_messages_latest').on(t.shopId, t.chatPhone, t.sentAt.desc()),
  ],
);

/**
 * Every phone a shop has detected, once (docs/conversations.md#what-is-detected): the primary key is what
 * makes it once.
 */
export const detectedPhones = pgTable(
  'detected_phones',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    source: text('source', { enum: phoneDetectionSources }).notNull(),
    /** The chat it was seen in, and for `message` the message that contained it. */
    chatPhone: text('chat_phone').notNull(),
    messageId: text('message_id'),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'detected_phones_pk', columns: [t.shopId, t.phone] })],
);

/**
 * A chat linked by an agent to a CRM customer (docs/side-panel.md#linking-a-chat-to-a-customer). Only Parley
 * stores it; the CRM is never written. The linked customers' phones are sent as `relatedphones` when that
 * chat is looked up.
 */
export const panelLinks = pgTable(
  'panel_links',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    chatPhone: text('chat_phone').notNull(),
    /** `id:<crm id>`, else `phone:<E.164>`, else `email:<lowercase>`: linking the same customer again updates the row. */
    customerKey: text('customer_key').notNull(),
    customerId: text('customer_id'),
    customerPhone: text('customer_phone'),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    /** Null when the shop token linked it. No foreign key: a link outlives the agent who made it. */
    createdByAgentId: text('created_by_agent_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('panel_links_chat_customer').on(t.shopId, t.chatPhone, t.customerKey)],
);

/**
 * Who looked up which phone and when (docs/side-panel.md#the-lookup-audit). The lookups are written in
 * batches, and each batch is one row per shop holding its lookups as parallel arrays, oldest first: a row and
 * an index entry per lookup cost the lookups about three times the CPU (measured on PGlite, where the
 * database runs on the lookups' thread), and the audit is written on every lookup but read only now and then.
 * A read for one phone scans the shop's batches (`phone = ANY(phones)`), newest first. No foreign key to
 * shops, for the same reason: deleting a shop must delete its rows here.
 */
export const panelLookupAuditBatches = pgTable(
  'panel_lookup_audit_batches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    shopId: text('shop_id').notNull(),
    /** The times of the batch's oldest and newest lookups. */
    oldestAt: timestamp('oldest_at', { withTimezone: true }).notNull(),
    newestAt: timestamp('newest_at', { withTimezone: true }).notNull(),
    /** A null element: the shop token looked it up. */
    agentIds: text('agent_ids').array().$type<(string | null)[]>().notNull(),
    phones: text('phones').array().notNull(),
    statuses: text('statuses').array().$type<PanelCallStatus[]>().notNull(),
    cached: boolean('cached').array().notNull(),
    lookedUpAt: timestamp('looked_up_at', { withTimezone: true }).array().notNull(),
  },
  (t) => [
    index('panel_lookup_audit_batches_shop_newest').on(t.shopId, t.newestAt.desc()),
    /** The audit by phone (features/panel/audit.ts): the few batches that hold a phone, out of millions. */
    index('panel_lookup_audit_batches_phones').using('gin', t.phones),
  ],
);

/** A shop's own model for the AI assistant, overriding PARLEY_LLM_* (issue 6). Null columns fall back. */
export const aiSettings = pgTable('ai_settings', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id, { onDelete: 'cascade' }),
  baseUrl: text('base_url'),
  model: text('model'),
  /** Encrypted. */
  apiKey: text('api_key'),
  updatedAt: updatedAt(),
});

export const creditLedgerKinds = ['monthly_grant', 'purchase', 'charge'] as const;

/**
 * Append-only: every credit movement of a shop, never updated or deleted. A pool's balance is the
 * sum of its deltas (free credits per `period`, purchased credits over all time); `credit_balances`
 * caches those sums. docs/decisions/credits-ledger.md.
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: creditLedgerKinds }).notNull(),
    /** The shop's month (`YYYY-MM` in its time zone) the movement happened in. */
    period: text('period').notNull(),
    freeDelta: bigint('free_delta', { mode: 'number' }).notNull().default(0),
    purchasedDelta: bigint('purchased_delta', { mode: 'number' }).notNull().default(0),
    /** Charges: what spent the credits (`ai_reply`). */
    feature: text('feature'),
    /** Purchases: the operator's reference (unique per shop). Charges: the reply id. */
    reference: text('reference'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    /** Tokens used beyond what was left when the balance ran out mid-reply: recorded, not charged. */
    unbilled: bigint('unbilled', { mode: 'number' }).notNull().default(0),
    /** From the app clock, so month boundaries agree with the periods computed from it. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('credit_ledger_purchase_reference')
      .on(t.shopId, t.reference)
      .where(sql`${t.kind} = 'purchase'`),
    uniqueIndex('credit_ledger_monthly_grant')
      .on(t.shopId, t.period)
      .where(sql`${t.kind} = 'monthly_grant'`),
    index('credit_ledger_shop_created').on(t.shopId, t.createdAt),
  ],
);

/**
 * One row per shop: the ledger's sums, the credits held by AI replies in progress, and the row whose
 * lock serializes the shop's credit movements.
 */
export const creditBalances = pgTable('credit_balances', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id, { onDelete: 'cascade' }),
  /** The month `freeLeft` belongs to; '' before the first grant. */
  period: text('period').notNull(),
  freeLeft: bigint('free_left', { mode: 'number' }).notNull(),
  purchasedLeft: bigint('purchased_left', { mode: 'number' }).notNull(),
  /** Held by replies in progress; each settlement gives its part back. */
  reserved: bigint('reserved', { mode: 'number' }).notNull().default(0),
  /**
   * Pushed forward by every reservation. Once it passes, every reply that reserved has ended, so
   * whatever is still held was left by a crashed process and counts as free again.
   */
  reservedUntil: timestamp('reserved_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** One row per custom function call the model asked for (`get_function_logs`); never the credentials. */
export const functionCallLogs = pgTable(
  'function_call_logs',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    replyId: text('reply_id').notNull(),
    functionName: text('function_name').notNull(),
    /** The model's arguments, values of secret-looking keys redacted. */
    arguments: jsonb('arguments').notNull(),
    status: text('status', { enum: toolCallStatuses }).notNull(),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('function_call_logs_shop_time').on(t.shopId, t.createdAt.desc()),
    index('function_call_logs_shop_name_time').on(t.shopId, t.functionName, t.createdAt.desc()),
  ],
);

/**
 * A shop's Smart Follow-up settings (docs/smart-followup.md), stored whole as the contract's settings
 * object, and when its next scheduled run falls due (null while disabled).
 */
export const followupSettings = pgTable(
  'followup_settings',
  {
    shopId: text('shop_id')
      .primaryKey()
      .references(() => shops.id, { onDelete: 'cascade' }),
    settings: jsonb('settings').$type<SmartFollowupSettings>().notNull(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('followup_settings_next_run')
      .on(t.nextRunAt)
      .where(sql`${t.nextRunAt} IS NOT NULL`),
  ],
);

export const followupRunStatuses = ['running', 'completed', 'stopped'] as const;
export const followupRunTriggers = ['schedule', 'manual'] as const;

/**
 * One run over a shop's conversations. At most one runs per shop (a unique partial index), in any
 * process; the process working on it renews `lease_until`, and a run whose lease ran out was left by
 * a process that died: another one resumes it where the log says it stopped.
 */
export const followupRuns = pgTable(
  'followup_runs',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: followupRunTriggers }).notNull(),
    /** A run of one conversation (`trigger_smart_followup` with `conversation_hash`). */
    chatPhone: text('chat_phone'),
    status: text('status', { enum: followupRunStatuses }).notNull(),
    /** Conversations whose latest message falls in [window_from, window_to] are candidates. */
    windowFrom: timestamp('window_from', { withTimezone: true }).notNull(),
    windowTo: timestamp('window_to', { withTimezone: true }).notNull(),
    /** Null until a process claims it; a lease in the past is free to take. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** The process (`process_heartbeats`) holding the lease: released once it stops beating. */
    claimedBy: text('claimed_by'),
    stopReason: text('stop_reason'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('followup_runs_one_running')
      .on(t.shopId)
      .where(sql`${t.status} = 'running'`),
    index('followup_runs_shop_started').on(t.shopId, t.startedAt.desc()),
  ],
);

export const followupAnalysisStates = ['skipped', 'analysing', 'analysed'] as const;

/**
 * The log: one row per conversation and latest message. A later run that finds the same latest
 * message updates a skipped row instead of adding one, and never touches an analysed one: a
 * conversation is analysed (and charged) once per latest message. `analysing` is the claim a run
 * commits before calling the model, so a run resumed after a crash knows what was in flight.
 */
export const followupAnalyses = pgTable(
  'followup_analyses',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    chatPhone: text('chat_phone').notNull(),
    lastMessageId: text('last_message_id').notNull(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    state: text('state', { enum: followupAnalysisStates }).notNull(),
    /**
     * Who holds an `analysing` row: a fresh id per claim. A run resumed elsewhere claims it anew, and
     * the writes of the claim it replaced (a process that lost its lease) then match no row.
     */
    claimId: text('claim_id'),
    action: text('action', { enum: followupActions }).notNull(),
    skipReason: text('skip_reason', { enum: followupSkipReasons }),
    /** What the model answered, validated; null when it was never asked. */
    analysis: jsonb('analysis').$type<FollowupAnalysis>(),
    intentLevel: text('intent_level', { enum: followupIntentLevels }),
    outcome: text('outcome', { enum: followupOutcomes }),
    productMentioned: text('product_mentioned'),
    /** Credits the analysis was charged. */
    credits: integer('credits').notNull().default(0),
    /** Plain words for the log: why it was skipped or what the model said. */
    detail: text('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('followup_analyses_chat_message').on(t.shopId, t.chatPhone, t.lastMessageId),
    index('followup_analyses_shop_time').on(t.shopId, t.updatedAt.desc()),
    index('followup_analyses_run').on(t.runId),
  ],
);

/**
 * A follow-up an agent sends (Parley never does). Its state moves pending → due → sent | dismissed,
 * or cancelled / expired; `replied_at` and `converted_at` track what happened after it became due.
 * `next_check_at` is when the worker looks at it next (becoming due, or a purchase check).
 */
export const followups = pgTable(
  'followups',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    analysisId: text('analysis_id').notNull(),
    chatPhone: text('chat_phone').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    status: text('status', { enum: followupStatuses }).notNull(),
    cancelReason: text('cancel_reason', { enum: followupCancelReasons }),
    intentLevel: text('intent_level', { enum: followupIntentLevels }).notNull(),
    outcome: text('outcome', { enum: followupOutcomes }).notNull(),
    productMentioned: text('product_mentioned'),
    customerObjection: text('customer_objection'),
    suggestedMessage: text('suggested_message').notNull(),
    /** Shown to agents (the shop's `agent_queue` when it was created). */
    agentQueue: boolean('agent_queue').notNull(),
    /** The first message of the analysed conversation: purchases since then count. */
    conversationFrom: timestamp('conversation_from', { withTimezone: true }).notNull(),
    /** The last message the analysis saw: a customer message after it cancels the follow-up. */
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    becameDueAt: timestamp('became_due_at', { withTimezone: true }),
    trackingUntil: timestamp('tracking_until', { withTimezone: true }),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentByAgentId: text('sent_by_agent_id'),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    dismissReason: text('dismiss_reason'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    convertedOrder: jsonb('converted_order').$type<Record<string, unknown> | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('followups_analysis').on(t.analysisId),
    // One open follow-up per conversation.
    uniqueIndex('followups_one_open')
      .on(t.shopId, t.chatPhone)
      .where(sql`${t.status} in ('pending', 'due')`),
    index('followups_chat').on(t.shopId, t.chatPhone, t.createdAt),
    index('followups_shop_status_due').on(t.shopId, t.status, t.dueAt),
    index('followups_next_check')
      .on(t.nextCheckAt)
      .where(sql`${t.nextCheckAt} IS NOT NULL`),
    // The reply poll: follow-ups still waiting for their customer's answer.
    index('followups_awaiting_reply')
      .on(t.trackingUntil)
      .where(sql`${t.repliedAt} IS NULL AND ${t.status} in ('due', 'sent')`),
  ],
);

/** Phones whose customer asked not to be followed up; every later run respects them. */
export const followupOptOuts = pgTable(
  'followup_opt_outs',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    analysisId: text('analysis_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'followup_opt_outs_pk', columns: [t.shopId, t.phone] })],
);

/**
 * Console sign-ins (apps/server/src/http/console): the browser's HttpOnly cookie holds the session id
 * and the token, encrypted; the row holds only hashes of both, so a database leak opens no session and
 * a stolen cookie is useless once its row is gone (signed out, expired). Admin sessions have no shop.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    shopId: text('shop_id').references(() => shops.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('console_sessions_expires').on(t.expiresAt)],
);

/**
 * Server processes sharing a PostgreSQL announce themselves here (apps/server/src/worker/heartbeat.ts):
 * a row whose `seen_at` is older than the staleness limit belongs to a dead process, and the claims it
 * held are released at once instead of at the end of their leases. Times are the database's own.
 */
export const processHeartbeats = pgTable('process_heartbeats', {
  processId: text('process_id').primaryKey(),
  /** host:pid, for the operator reading the table. */
  label: text('label').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});
