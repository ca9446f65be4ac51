/**
 * Did the customer buy after all? The business's CRM is the judge (docs/smart-followup.md): its
 * `verify_conversion` endpoint, or else the orders its `sidePanel_CustomerInfo` answers, dated on or
 * after `since`. Anything short of a clear answer is `unknown`, and an unknown never leads to a
 * follow-up: writing to a customer who already bought is the mistake this feature must not make.
 */
import type { PanelOrder } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { callCrmEndpoint } from '../crm/index.ts';

export type PurchaseCheck =
  { kind: 'purchased'; order: PanelOrder | null } | { kind: 'none' } | { kind: 'unknown'; message: string };

const orderTime = (order: PanelOrder) => (order.date === null ? Number.NaN : Date.parse(order.date));

/** The newest order dated on or after `since`; orders without a readable date do not count. */
function newestOrderSince(orders: readonly PanelOrder[], since: Date): PanelOrder | undefined {
  return orders
    .filter((order) => orderTime(order) >= since.getTime())
    .sort((a, b) => orderTime(b) - orderTime(a))[0];
}

export async function checkPurchase(
  deps: AppDeps,
  shopId: string,
  phone: string,
  since: Date,
): Promise<PurchaseCheck> {
  const verify = await callCrmEndpoint(deps, shopId, 'verify_conversion', {
    phone,
    since: since.toISOString(),
  });
  if (verify.status === 'ok') {
    const { converted, orders } = verify.answer;
    if (!converted) return { kind: 'none' };
    return { kind: 'purchased', order: newestOrderSince(orders, since) ?? orders[0] ?? null };
  }
  if (verify.status !== 'not_configured') {
    return { kind: 'unknown', message: `verify_conversion: ${verify.error.message}` };
  }
  const panel = await callCrmEndpoint(deps, shopId, 'sidePanel_CustomerInfo', { phone });
  if (panel.status === 'ok') {
    const order = newestOrderSince(
      panel.answer.customers.flatMap((customer) => customer.orders),
      since,
    );
    return order === undefined ? { kind: 'none' } : { kind: 'purchased', order };
  }
  if (panel.status === 'not_configured') {
    return {
      kind: 'unknown',
      message:
        'No verify_conversion or sidePanel_CustomerInfo endpoint is configured, so Parley cannot tell whether the customer bought; configure one with update_crm_endpoints.',
    };
  }
  return { kind: 'unknown', message: `sidePanel_CustomerInfo: ${panel.error.message}` };
}

/** The order as events and the log show it. */
export const presentOrder = (order: PanelOrder | null) =>
  order === null
    ? null
    : { name: order.name, amount: order.amount, currency: order.currency, date: order.date };
