/**
 * What agents work with (`GET /api/followups`, `POST /api/followups/:id/sent|dismiss`): the shop's
 * follow-ups for the agent queue, and the two things an agent does with one. Parley never sends the
 * message: "sent" records that an agent sent it from WhatsApp.
 */
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { DismissFollowupRequest, FollowupView, ListFollowupsQuery } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { conversationChats, followups } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { FollowupRow } from './events.ts';

const LIST_LIMIT = 200;

/** Opens the chat in WhatsApp Web (digits only, as its `send` link takes them). */
const whatsappChatUrl = (phone: string) => `https://web.whatsapp.com/send?phone=${phone.replace(/\D/g, '')}`;

const iso = (date: Date | null) => date?.toISOString() ?? null;

const presentFollowup = (row: FollowupRow, chatName: string | null): FollowupView => ({
  id: row.id,
  phone: row.chatPhone,
  chat_name: chatName,
  status: row.status,
  cancel_reason: row.cancelReason,
  intent_level: row.intentLevel,
  outcome: row.outcome,
  product_mentioned: row.productMentioned,
  customer_objection: row.customerObjection,
  suggested_message: row.suggestedMessage,
  attempt_number: row.attemptNumber,
  due_at: row.dueAt.toISOString(),
  created_at: row.createdAt.toISOString(),
  sent_at: iso(row.sentAt),
  dismissed_at: iso(row.dismissedAt),
  replied_at: iso(row.repliedAt),
  converted_at: iso(row.convertedAt),
  whatsapp_url: whatsappChatUrl(row.chatPhone),
});

const statusFilter: Record<ListFollowupsQuery['status'], FollowupRow['status'][]> = {
  due: ['due'],
  pending: ['pending'],
  sent: ['sent'],
  all: ['pending', 'due', 'sent', 'dismissed', 'cancelled', 'expired'],
};

async function selectWithNames(
  deps: Pick<AppDeps, 'db'>,
  where: SQL | undefined,
  order: SQL[],
  limit: number,
) {
  const rows = await deps.db
    .select({ row: followups, chatName: conversationChats.chatName })
    .from(followups)
    .leftJoin(
      conversationChats,
      and(
        eq(conversationChats.shopId, followups.shopId),
        eq(conversationChats.chatPhone, followups.chatPhone),
      ),
    )
    .where(where)
    .orderBy(...order)
    .limit(limit);
  return rows.map(({ row, chatName }) => presentFollowup(row, chatName));
}

/** Due ones longest waiting first (the agent's to-do list); the others newest first. */
export async function listFollowups(
  deps: Pick<AppDeps, 'db'>,
  shopId: string,
  query: ListFollowupsQuery,
): Promise<FollowupView[]> {
  const where = and(
    eq(followups.shopId, shopId),
    eq(followups.agentQueue, true),
    inArray(followups.status, statusFilter[query.status]),
    query.phone === undefined ? undefined : eq(followups.chatPhone, query.phone),
  );
  const order = query.status === 'due' ? [asc(followups.dueAt)] : [desc(followups.dueAt)];
  return selectWithNames(deps, where, order, LIST_LIMIT);
}

type AgentAction =
  { kind: 'sent'; agentId: string | null } | { kind: 'dismiss'; input: DismissFollowupRequest };

/**
 * Marks a follow-up sent or dismissed. Repeating the same action answers the follow-up as it is (a
 * retried click changes nothing); any other state is a 409 saying what became of it.
 */
export async function actOnFollowup(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  shopId: string,
  followupId: string,
  action: AgentAction,
): Promise<FollowupView> {
  const now = deps.clock.now();
  const target = and(
    eq(followups.shopId, shopId),
    eq(followups.id, followupId),
    eq(followups.agentQueue, true),
  );
  const change =
    action.kind === 'sent'
      ? { status: 'sent' as const, sentAt: now, sentByAgentId: action.agentId }
      : {
          status: 'dismissed' as const,
          dismissedAt: now,
          dismissReason: action.input.reason ?? null,
          nextCheckAt: null,
        };
  const from: FollowupRow['status'][] = action.kind === 'sent' ? ['due'] : ['pending', 'due'];
  await deps.db
    .update(followups)
    .set({ ...change, updatedAt: now })
    .where(and(target, inArray(followups.status, from)));
  const [current] = await selectWithNames(deps, target, [asc(followups.id)], 1);
  if (current === undefined) throw notFound(`No follow-up ${followupId} in this shop.`);
  if (current.status !== change.status) {
    throw new AppError(
      'CONFLICT',
      `This follow-up is ${current.status}${current.cancel_reason === null ? '' : ` (${current.cancel_reason})`}; ` +
        (action.kind === 'sent'
          ? 'only a due follow-up can be marked sent.'
          : 'only a pending or due one can be dismissed.'),
      409,
    );
  }
  return current;
}
