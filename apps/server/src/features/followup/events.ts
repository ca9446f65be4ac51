/**
 * The data of the three `followup.*` webhook events, built from a follow-up row. They are recorded
 * with `recordWebhookEvent` in the transaction that makes the state change they report, so an event
 * exists exactly when its change does (docs/webhooks.md, at-least-once delivery).
 */
import type {
  FollowupConvertedEventData,
  FollowupDetectedEventData,
  FollowupRepliedEventData,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { Tx } from '../../db/database.ts';
import type { followups } from '../../db/schema.ts';
import { conversationHash, conversationHashKey } from '../conversations/index.ts';
import { recordWebhookEvent } from '../webhooks/index.ts';

export type FollowupRow = typeof followups.$inferSelect;
type Deps = Pick<AppDeps, 'clock' | 'signingKey'>;

const hashOf = (deps: Deps, row: FollowupRow) =>
  conversationHash(conversationHashKey(deps.signingKey), row.shopId, row.chatPhone);

/** Records `followup.detected`; true when the shop's webhook takes it. */
export async function recordDetected(tx: Tx, deps: Deps, row: FollowupRow): Promise<boolean> {
  const data: FollowupDetectedEventData = {
    followup_id: row.id,
    event_type: 'followup.detected',
    shop_id: row.shopId,
    phone: row.chatPhone,
    chat_phone: row.chatPhone,
    conversation_hash: hashOf(deps, row),
    intent_level: row.intentLevel,
    product_mentioned: row.productMentioned,
    customer_objection: row.customerObjection,
    outcome: row.outcome,
    suggested_message: row.suggestedMessage,
    shopify_order_found: false,
    crm_order_found: false,
    attempt_number: row.attemptNumber,
    due_at: row.dueAt.toISOString(),
    timestamp: deps.clock.now().toISOString(),
  };
  return (
    (await recordWebhookEvent(tx, deps, { shopId: row.shopId, event: 'followup.detected', data })) !== null
  );
}

export async function recordReplied(tx: Tx, deps: Deps, row: FollowupRow, repliedAt: Date): Promise<void> {
  const data: FollowupRepliedEventData = {
    followup_id: row.id,
    event_type: 'followup.replied',
    shop_id: row.shopId,
    phone: row.chatPhone,
    conversation_hash: hashOf(deps, row),
    attempt_number: row.attemptNumber,
    replied_at: repliedAt.toISOString(),
    timestamp: deps.clock.now().toISOString(),
  };
  await recordWebhookEvent(tx, deps, { shopId: row.shopId, event: 'followup.replied', data });
}

export async function recordConverted(
  tx: Tx,
  deps: Deps,
  row: FollowupRow,
  convertedAt: Date,
  order: FollowupConvertedEventData['order'],
): Promise<void> {
  const data: FollowupConvertedEventData = {
    followup_id: row.id,
    event_type: 'followup.converted',
    shop_id: row.shopId,
    phone: row.chatPhone,
    conversation_hash: hashOf(deps, row),
    attempt_number: row.attemptNumber,
    converted_at: convertedAt.toISOString(),
    order,
    source: 'crm',
    timestamp: deps.clock.now().toISOString(),
  };
  await recordWebhookEvent(tx, deps, { shopId: row.shopId, event: 'followup.converted', data });
}
