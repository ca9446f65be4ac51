/**
 * SQL of list_webhook_deliveries: newest first, keyset pagination on (created_at, id), each
 * delivery with its attempts. Statuses are shown as users think of them (contract
 * `webhookDeliveryStatuses`): a queued delivery is `pending` before its first attempt, `failed` after.
 */
import type { WebhookDeliveryStatus } from '@parley/contract';
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { webhookAttempts, webhookDeliveries, webhookEvents } from '../../db/schema.ts';
import { badRequest } from '../../lib/errors.ts';
import type { WebhookEventName } from './event-body.ts';

const deliveries = webhookDeliveries;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export const statusOf = (row: Pick<DeliveryRow, 'status' | 'attempts'>): WebhookDeliveryStatus =>
  row.status === 'queued' ? (row.attempts === 0 ? 'pending' : 'failed') : row.status;

/**
 * The listed status as SQL, written exactly as the index `webhook_deliveries_shop_listed_status`
 * (db/schema.ts) is, so that a listing by any status reads that index in order and stops after a page.
 */
const listedStatus = sql`(CASE WHEN ${deliveries.status} = 'queued' THEN CASE WHEN ${deliveries.attempts} = 0 THEN 'pending' ELSE 'failed' END ELSE ${deliveries.status} END)`;

export interface PageKey {
  createdAt: Date;
  eventId: string;
}

export interface DeliveryQuery {
  status?: WebhookDeliveryStatus | undefined;
  event?: WebhookEventName | undefined;
  since?: Date | undefined;
  limit: number;
  after?: PageKey | undefined;
}

export interface ListedDelivery extends Pick<
  DeliveryRow,
  'eventId' | 'status' | 'attempts' | 'dueAt' | 'deliveredAt'
> {
  event: WebhookEventName;
  body: string;
  createdAt: Date;
  attemptRows: AttemptRow[];
}

/** One page of deliveries and one more (to know whether a next page exists), without their attempts. */
export function pageQuery(db: Db, shopId: string, query: DeliveryQuery) {
  const { after } = query;
  // Each filter reads an index in the listing's order (db/schema.ts): by status, the deliveries'
  // (which carry the event's created_at); otherwise the events', by event or by time.
  const keyed = query.status === undefined ? webhookEvents : deliveries;
  const createdAt = keyed.createdAt;
  const id = query.status === undefined ? webhookEvents.id : deliveries.eventId;
  return db
    .select({
      eventId: webhookEvents.id,
      event: webhookEvents.event,
      body: webhookEvents.body,
      createdAt: webhookEvents.createdAt,
      status: deliveries.status,
      attempts: deliveries.attempts,
      dueAt: deliveries.dueAt,
      deliveredAt: deliveries.deliveredAt,
    })
    .from(webhookEvents)
    .innerJoin(deliveries, eq(deliveries.eventId, webhookEvents.id))
    .where(
      and(
        eq(keyed.shopId, shopId),
        query.status === undefined ? undefined : sql`${listedStatus} = ${query.status}`,
        query.event === undefined ? undefined : eq(webhookEvents.event, query.event),
        query.since === undefined ? undefined : gte(createdAt, query.since),
        after === undefined
          ? undefined
          : sql`(${createdAt}, ${id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.eventId})`,
      ),
    )
    .orderBy(desc(createdAt), desc(id))
    .limit(query.limit + 1);
}

export async function listDeliveries(
  db: Db,
  shopId: string,
  query: DeliveryQuery,
): Promise<{ deliveries: ListedDelivery[]; next: PageKey | null }> {
  const rows = await pageQuery(db, shopId, query);
  const page = rows.slice(0, query.limit);
  const attempts =
    page.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.eventId,
              page.map((row) => row.eventId),
            ),
          )
          .orderBy(asc(webhookAttempts.attempt));
  const last = page.at(-1);
  return {
    deliveries: page.map((row) => ({
      ...row,
      attemptRows: attempts.filter((attempt) => attempt.eventId === row.eventId),
    })),
    next:
      rows.length > query.limit && last !== undefined
        ? { createdAt: last.createdAt, eventId: last.eventId }
        : null,
  };
}

/** An opaque cursor: the key of the last delivery shown. */
export const encodeCursor = (key: PageKey): string =>
  Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.eventId])).toString('base64url');

export function decodeCursor(cursor: string): PageKey {
  const refused = () =>
    badRequest(
      'cursor is not a next_cursor returned by list_webhook_deliveries; pass one unchanged, or omit it to start from the newest.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw refused();
  const [createdAt, eventId] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof eventId !== 'string') throw refused();
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) throw refused();
  return { createdAt: date, eventId };
}
