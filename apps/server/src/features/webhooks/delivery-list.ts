/**
 * SQL of list_webhook_deliveries: newest first, keyset pagination on (created_at, id), each
 * delivery with its attempts. Statuses are shown as users think of them (contract
 * `webhookDeliveryStatuses`): a queued delivery is `pending` before its first attempt, `failed` after.
 */
import type { WebhookDeliveryStatus } from '@parley/contract';
import { and, asc, desc, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { webhookAttempts, webhookDeliveries, webhookEvents } from '../../db/schema.ts';
import { badRequest } from '../../lib/errors.ts';
import type { WebhookEventName } from './event-body.ts';

const deliveries = webhookDeliveries;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export const statusOf = (row: Pick<DeliveryRow, 'status' | 'attempts'>): WebhookDeliveryStatus =>
  row.status === 'queued' ? (row.attempts === 0 ? 'pending' : 'failed') : row.status;

const whereStatus: Record<WebhookDeliveryStatus, SQL | undefined> = {
  pending: and(eq(deliveries.status, 'queued'), eq(deliveries.attempts, 0)),
  failed: and(eq(deliveries.status, 'queued'), gt(deliveries.attempts, 0)),
  delivering: eq(deliveries.status, 'delivering'),
  delivered: eq(deliveries.status, 'delivered'),
  exhausted: eq(deliveries.status, 'exhausted'),
};

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

export async function listDeliveries(
  db: Db,
  shopId: string,
  query: DeliveryQuery,
): Promise<{ deliveries: ListedDelivery[]; next: PageKey | null }> {
  const { after } = query;
  const rows = await db
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
        eq(webhookEvents.shopId, shopId),
        query.event === undefined ? undefined : eq(webhookEvents.event, query.event),
        query.since === undefined ? undefined : gte(webhookEvents.createdAt, query.since),
        query.status === undefined ? undefined : whereStatus[query.status],
        after === undefined
          ? undefined
          : sql`(${webhookEvents.createdAt}, ${webhookEvents.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.eventId})`,
      ),
    )
    .orderBy(desc(webhookEvents.createdAt), desc(webhookEvents.id))
    .limit(query.limit + 1);
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
