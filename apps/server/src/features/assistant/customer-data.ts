/**
 * The CRM record as the model gets it: the panel model (docs/side-panel.md#looking-up-a-customer) cut to what
 * helps a reply and to a size budget, nulls and empty lists dropped. Every token here is paid for on every
 * model call of the reply, so recent orders come first and older ones go when the record is large.
 */
import type { PanelCart, PanelCustomer, PanelOrder } from '@parley/contract';

/** Characters of CRM data per reply (about 4,000 tokens). */
const CUSTOMER_DATA_MAX_CHARS = 16_000;
const MAX_CUSTOMERS = 3;
const MAX_ITEMS = 10;
const MAX_CARTS = 3;
const MAX_LIST = 10;
/** Orders kept per customer, tried in turn until the data fits. */
const ORDER_STEPS = [5, 2, 0];

/** Null, empty strings, empty lists and empty objects carry nothing but tokens. */
function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(dropEmpty).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, dropEmpty(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value === null || value === '' ? undefined : value;
}

const compactOrder = (order: PanelOrder) => {
  // The nested `extra` of each order and item is CRM-specific noise for a reply.
  const { extra: _extra, items, tracking, ...fields } = order;
  return {
    ...fields,
    items: items.slice(0, MAX_ITEMS).map(({ extra: _itemExtra, image: _image, ...item }) => item),
    tracking: tracking.map(({ extra: _trackingExtra, ...entry }) => entry),
  };
};

const compactCart = (cart: PanelCart) => {
  const { extra: _extra, items, ...fields } = cart;
  return {
    ...fields,
    items: items.slice(0, MAX_ITEMS).map(({ extra: _itemExtra, image: _image, ...item }) => item),
  };
};

function compactCustomer(customer: PanelCustomer, orders: number) {
  const { orders: allOrders, lastOrder, abandonedCarts, tags, notes, links, ...fields } = customer;
  return dropEmpty({
    ...fields,
    tags: tags.slice(0, MAX_LIST),
    notes: notes.slice(0, MAX_LIST),
    links: links.slice(0, MAX_LIST),
    lastOrder: lastOrder === null || orders === 0 ? null : compactOrder(lastOrder),
    orders: allOrders.slice(0, orders).map(compactOrder),
    abandonedCarts: orders === 0 ? [] : abandonedCarts.slice(0, MAX_CARTS).map(compactCart),
  });
}

/** The customers, trimmed step by step until they fit `maxChars`; the last step is cut as text. */
export function customerRecords(
  customers: readonly PanelCustomer[],
  maxChars = CUSTOMER_DATA_MAX_CHARS,
): unknown {
  const kept = customers.slice(0, MAX_CUSTOMERS);
  let records: unknown = [];
  for (const orders of ORDER_STEPS) {
    records = kept.map((customer) => compactCustomer(customer, orders));
    if (JSON.stringify(records).length <= maxChars) return records;
  }
  const text = JSON.stringify(records);
  return { truncated_json: text.slice(0, maxChars), notice: `Cut from ${text.length} characters.` };
}
