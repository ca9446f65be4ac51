/**
 * Every call Parley makes to a shop's CRM goes through this gate, whoever asks: the side panel, the AI
 * assistant's customer context, Smart Follow-up's context and purchase check, the health probe and
 * test_crm_endpoint (docs/crm-endpoints.md#how-many-calls-at-once). At most `perShop` calls of one shop are
 * in flight at once, a bounded queue waits behind them in order, and past that queue a call is answered
 * `busy` at once instead of waiting without end: one shop with a slow CRM cannot hold every socket and
 * request of the server, and one shop's CRM never sees more than `perShop` calls from this process.
 *
 * One gate per app, created in the composition root (runtime.ts) and carried in AppDeps: two apps in one
 * process never count each other's calls.
 */
import { KeyedSemaphore, QueueFullError } from './keyed-semaphore.ts';

export interface CrmGateLimits {
  /** CRM calls of one shop running at once. */
  perShop: number;
  /** Calls of one shop waiting for a slot; the next one is answered busy. */
  queuedPerShop: number;
}

export const defaultCrmGateLimits: CrmGateLimits = { perShop: 8, queuedPerShop: 200 };

/** The call was not made: the shop's slots and queue are full. Nothing reached the CRM. */
export interface CrmBusy {
  status: 'busy';
  error: { code: 'CRM_BUSY'; message: string };
}

export type Gated<T> = { status: 'ran'; value: T } | CrmBusy;

export interface CrmGate {
  readonly limits: CrmGateLimits;
  /** Runs `call` once one of the shop's slots is free, or answers busy when its queue is full. */
  run<T>(shopId: string, call: () => Promise<T>): Promise<Gated<T>>;
  /** The shop's calls running and waiting now. */
  load(shopId: string): { running: number; waiting: number };
}

export function createCrmGate(limits: CrmGateLimits = defaultCrmGateLimits): CrmGate {
  const semaphore = new KeyedSemaphore({ limit: limits.perShop, maxQueued: limits.queuedPerShop });
  const message =
    `This shop's CRM already has ${limits.perShop} calls from Parley running and ${limits.queuedPerShop} ` +
    'waiting; try again in a moment.';
  return {
    limits,
    async run(shopId, call) {
      try {
        return { status: 'ran', value: await semaphore.run(shopId, call) };
      } catch (error) {
        if (!(error instanceof QueueFullError)) throw error;
        return { status: 'busy', error: { code: 'CRM_BUSY', message } };
      }
    },
    load: (shopId) => semaphore.load(shopId),
  };
}
