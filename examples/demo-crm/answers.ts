/**
 * What the demo CRM answers for each endpoint type (docs/crm-endpoints.md): pure functions from the
 * request's parameters to the JSON answer. A parameter Parley always sends and that is missing or
 * malformed is a ParameterError, which the server answers with 400, as a strict CRM would.
 */
import type { CrmEndpointType } from '@parley/contract';
import type { DemoCustomer, DemoOrder } from './dataset.ts';
import { customersByPhone, searchCustomers, searchOrders, searchProducts } from './lookup.ts';
import type { CrmParams } from './params.ts';

export class ParameterError extends Error {
  override name = 'ParameterError';
}

type Answer = Record<string, unknown>;

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

const nothingFound = { found: false, customers: [] };

function requiredText(params: CrmParams, name: string): string {
  const value = params.text(name);
  if (value === undefined) throw new ParameterError(`the "${name}" parameter is required`);
  return value;
}

/** The chat's phone first, then the phones the agent linked to the chat (`relatedphones`). */
const customersOfChat = (params: CrmParams) =>
  customersByPhone([requiredText(params, 'phone'), ...params.list('relatedphones')]);

function limitOf(params: CrmParams): number {
  const limit = Number(params.text('limit') ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) throw new ParameterError('"limit" must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

const money = (amount: number | string, currency: string) => `${Number(amount).toFixed(2)} ${currency}`;

const notesOf = (customer: DemoCustomer) =>
  typeof customer.notes === 'string' ? [customer.notes] : customer.notes;

function trackingUrlOf(order: DemoOrder): string | undefined {
  const { tracking } = order;
  return (Array.isArray(tracking) ? tracking[0] : tracking)?.url;
}

/** The short profile the AI needs: who it is, how valuable, and where the latest order is. */
function aiProfile(customer: DemoCustomer): Answer {
  const [latest] = customer.orders;
  const { id, name, email, phone, state, tags, currency, ordersCount, totalSpent, loyaltyPoints } = customer;
  return {
    id,
    name,
    email,
    phone,
    state,
    tags,
    currency,
    ordersCount,
    totalSpent,
    loyaltyPoints,
    lastOrder: latest && {
      name: latest.name,
      date: latest.date,
      status: latest.status,
      trackingUrl: trackingUrlOf(latest),
    },
  };
}

/** Free text for the AI: one line per customer with what an agent would want it to keep in mind. */
const aiContext = (found: readonly DemoCustomer[]) =>
  found
    .map(
      (customer) =>
        `${customer.name} (${customer.state}, ${customer.ordersCount} orders, ${customer.loyaltyPoints} loyalty points): ${notesOf(customer).join(' ')}`,
    )
    .join('\n');

export const answers = {
  sidePanel_CustomerInfo: (params) => {
    const found = customersOfChat(params);
    return found.length === 0 ? nothingFound : { found: true, customers: found };
  },

  // One customer comes as `customer`, several as `customers`: Parley reads both shapes.
  ai_CustomerInitialInfo: (params) => {
    const found = customersOfChat(params);
    if (found.length === 0) return nothingFound;
    const profiles = found.map(aiProfile);
    const data = profiles.length === 1 ? { customer: profiles[0] } : { customers: profiles };
    return { found: true, ...data, context: aiContext(found) };
  },

  // `phone` (the chat's) is sent too; a CRM could rank by it, the demo has no need to.
  sidePanel_CustomerFindToJoin: (params) => {
    const query = params.text('query');
    const found = query === undefined ? [] : searchCustomers(query);
    if (found.length === 0) return nothingFound;
    return {
      found: true,
      customers: found.map(({ id, name, email, phone, shopUrl, state }) => ({
        id,
        name,
        email,
        phone,
        shopUrl,
        state,
      })),
    };
  },

  search_Products: (params) => {
    const limit = limitOf(params);
    const query = params.text('query');
    const found = query === undefined ? [] : searchProducts(query).slice(0, limit);
    return { found: found.length > 0, products: found };
  },

  globalSearch: (params) => {
    const limit = limitOf(params);
    const query = params.text('query');
    if (query === undefined) return { found: false, results: [] };
    const results = [
      ...searchCustomers(query).map((customer) => ({
        type: 'customer',
        id: customer.id,
        title: customer.name,
        subtitle: `${customer.state} · ${customer.ordersCount} orders`,
        url: customer.shopUrl,
        phone: customer.phone,
        email: customer.email,
      })),
      ...searchOrders(query).map(({ order, customer }) => ({
        type: 'order',
        id: order.name,
        title: order.name,
        subtitle: `${money(order.amount, order.currency)} · ${order.status} · ${order.date.slice(0, 10)}`,
        url: order.url,
        phone: customer.phone,
        email: customer.email,
      })),
      ...searchProducts(query).map((product) => ({
        type: 'product',
        id: product.id,
        title: product.name,
        subtitle: `${money(product.price, product.currency)} · ${product.stock} in stock`,
        url: product.url,
      })),
    ].slice(0, limit);
    return { found: results.length > 0, results };
  },

  // Without `since`, every order counts: handy when trying the endpoint by hand.
  verify_conversion: (params) => {
    const [customer] = customersByPhone([requiredText(params, 'phone')]);
    const since = params.text('since');
    const sinceMs = since === undefined ? -Infinity : Date.parse(since);
    if (Number.isNaN(sinceMs)) throw new ParameterError('"since" must be an ISO 8601 date');
    if (customer === undefined) return { found: false, converted: false, orders: [] };
    const orders = customer.orders.filter((order) => Date.parse(order.date) >= sinceMs);
    return { found: true, converted: orders.length > 0, orders };
  },
} satisfies Record<CrmEndpointType, (params: CrmParams) => Answer>;
