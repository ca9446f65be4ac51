/**
 * One POST of one event: the headers of docs/webhooks.md#the-request (signatures from @parley/webhooks), the
 * outbound client (policy, no redirects, the timeout), and the outcome. Deliveries, probes, redeliveries and
 * test_webhook all send through here, so they cannot differ in what a receiver sees.
 */
import { buildSignatureHeaders, isValidSecret } from '@parley/webhooks';
import type { AppDeps } from '../../app-deps.ts';
import { boundTo } from '../../lib/secret-box.ts';
import {
  failure,
  outcomeOfError,
  outcomeOfResponse,
  RESPONSE_EXCERPT_BYTES,
  type AttemptOutcome,
} from './outcome.ts';

export interface WebhookTarget {
  url: string;
  /** In clear; undefined sends the event unsigned. */
  secret: string | undefined;
  timeoutMs: number;
}

export interface WebhookMessage {
  id: string;
  event: string;
  /** The serialized event, sent as is. */
  body: string;
  /** X-Webhook-Attempt, from 1. */
  attempt: number;
}

export interface SentWebhook {
  startedAt: Date;
  /** As sent, signatures included (they reveal nothing about the secret). */
  requestHeaders: Record<string, string>;
  outcome: AttemptOutcome;
}

export type SendDeps = Pick<AppDeps, 'outbound' | 'clock' | 'version'>;

export const INVALID_SECRET_MESSAGE =
  'The webhook secret cannot sign: it starts with whsec_ but what follows is not padded base64. Set a new secret with configure_webhooks.';

export async function sendWebhook(
  deps: SendDeps,
  target: WebhookTarget,
  message: WebhookMessage,
): Promise<SentWebhook> {
  const startedAt = deps.clock.now();
  if (target.secret !== undefined && !isValidSecret(target.secret)) {
    return {
      startedAt,
      requestHeaders: {},
      outcome: failure('configuration', 'INVALID_SECRET', INVALID_SECRET_MESSAGE),
    };
  }
  const requestHeaders = {
    ...buildSignatureHeaders({
      id: message.id,
      event: message.event,
      attempt: message.attempt,
      timestamp: Math.floor(startedAt.getTime() / 1000),
      body: message.body,
      secret: target.secret,
    }),
    'User-Agent': `Parley-Webhooks/${deps.version}`,
  };
  const started = performance.now();
  try {
    const response = await deps.outbound.request({
      url: target.url,
      method: 'POST',
      headers: requestHeaders,
      body: message.body,
      timeoutMs: target.timeoutMs,
      keepResponseBytes: RESPONSE_EXCERPT_BYTES,
    });
    return { startedAt, requestHeaders, outcome: outcomeOfResponse(response, deps.clock.now()) };
  } catch (error) {
    return {
      startedAt,
      requestHeaders,
      outcome: outcomeOfError(error, Math.round(performance.now() - started)),
    };
  }
}

/** Where a stored webhook sends: the secret still sealed. */
export interface StoredTarget {
  shopId: string;
  url: string;
  sealedSecret: string | null;
  timeoutMs: number;
}

/** Opens the stored secret and sends; a secret that cannot be opened fails the attempt, unsent. */
export async function sendToStoredTarget(
  deps: SendDeps & Pick<AppDeps, 'secrets'>,
  target: StoredTarget,
  message: WebhookMessage,
): Promise<SentWebhook> {
  let secret: string | undefined;
  try {
    secret =
      target.sealedSecret === null
        ? undefined
        : deps.secrets.open(target.sealedSecret, boundTo(target.shopId, 'webhook_configs.secret'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      startedAt: deps.clock.now(),
      requestHeaders: {},
      outcome: failure('configuration', 'SECRET_UNREADABLE', reason),
    };
  }
  return sendWebhook(deps, { url: target.url, secret, timeoutMs: target.timeoutMs }, message);
}
