/**
 * Every CRM call the panel makes goes through here: at most `limit` at once per shop, a bounded queue
 * behind them, and `busy` instead of an unbounded wait when that queue is full. One shop with a slow CRM
 * and many agents cannot then hold every socket and request of the server.
 */
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { callCrmEndpoint, type CrmCallOutcome, type CrmCallParams } from '../crm/index.ts';
import { KeyedSemaphore, QueueFullError } from './keyed-semaphore.ts';

export type GatedOutcome<T extends CrmEndpointType> = CrmCallOutcome<T> | { status: 'busy'; message: string };

export type CrmGate = <T extends CrmEndpointType>(
  shopId: string,
  type: T,
  params: CrmCallParams,
) => Promise<GatedOutcome<T>>;

export function createCrmGate(deps: AppDeps, options: { limit: number; maxQueued: number }): CrmGate {
  const semaphore = new KeyedSemaphore(options);
  return async (shopId, type, params) => {
    try {
      return await semaphore.run(shopId, () => callCrmEndpoint(deps, shopId, type, params));
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      return {
        status: 'busy',
        message:
          `This shop's CRM already has ${options.limit} calls running and ${options.maxQueued} waiting; ` +
          'try again in a moment.',
      };
    }
  };
}
