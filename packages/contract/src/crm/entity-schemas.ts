import type { z } from 'zod';
import {
  address,
  currencyCode,
  entity,
  httpUrl,
  identifier,
  isoDate,
  listOf,
  noteList,
  numeric,
  oneOrListOf,
  requiredHttpUrl,
  tagList,
  text,
} from './fields.ts';

/*
 * The objects inside CRM answers, as the CRM sends them (docs/crm-endpoints.md#answers). Every field is
 * optional: a CRM sends what it has. These schemas alone fail on any wrong field; `parseCrmAnswer` turns such
 * failures into warnings and leaves the field out.
 */

export const crmItem = entity('an item object', {
  name: text,
  sku: text,
  quantity: numeric,
  price: numeric,
  image: httpUrl,
});

export const crmTracking = entity('a tracking object', {
  company: text,
  number: text,
  url: httpUrl,
  status: text,
});

export const crmOrder = entity('an order object', {
  name: text,
  date: isoDate,
  status: text,
  currency: currencyCode,
  amount: numeric,
  netAmount: numeric,
  totalRefunded: numeric,
  totalDiscounts: numeric,
  url: httpUrl,
  items: listOf(crmItem),
  tracking: oneOrListOf(crmTracking, 'a tracking object'),
  /** The short form some CRMs send (see the `lastOrder` of the ai_CustomerInitialInfo reference). */
  trackingUrl: httpUrl,
});

export const crmAbandonedCart = entity('an abandoned cart object', {
  date: isoDate,
  amount: numeric,
  currency: currencyCode,
  url: httpUrl,
  items: listOf(crmItem),
});

export const crmLink = entity('a link object such as {"label": "Invoices", "url": "https://…"}', {
  label: text,
  url: requiredHttpUrl,
});

export const crmCustomer = entity('a customer object', {
  /**
   * What the panel links a chat to (docs/crm-endpoints.md#customer,
   * docs/side-panel.md#linking-a-chat-to-a-customer).
   */
  id: identifier,
  name: text,
  email: text,
  phone: text,
  shopUrl: httpUrl,
  state: text,
  tags: tagList,
  segment: text,
  address,
  registeredAt: isoDate,
  notes: noteList,
  links: listOf(crmLink),
  currency: currencyCode,
  ordersCount: numeric,
  totalSpent: numeric,
  totalRefunded: numeric,
  totalDiscounts: numeric,
  loyaltyPoints: numeric,
  orders: listOf(crmOrder),
  lastOrder: crmOrder.nullish(),
  abandonedCarts: listOf(crmAbandonedCart),
});

export const crmProductVariant = entity('a variant object', {
  id: identifier,
  sku: text,
  title: text,
  price: numeric,
  stock: numeric,
});

export const crmProduct = entity('a product object', {
  id: identifier,
  name: text,
  sku: text,
  price: numeric,
  currency: currencyCode,
  stock: numeric,
  url: httpUrl,
  image: httpUrl,
  description: text,
  variants: listOf(crmProductVariant),
});

export const crmSearchResult = entity('a search result object', {
  type: text,
  id: identifier,
  title: text,
  subtitle: text,
  url: httpUrl,
  phone: text,
  email: text,
});

export type CrmItem = z.output<typeof crmItem>;
export type CrmTracking = z.output<typeof crmTracking>;
export type CrmOrder = z.output<typeof crmOrder>;
export type CrmAbandonedCart = z.output<typeof crmAbandonedCart>;
export type CrmLink = z.output<typeof crmLink>;
export type CrmCustomer = z.output<typeof crmCustomer>;
export type CrmProductVariant = z.output<typeof crmProductVariant>;
export type CrmProduct = z.output<typeof crmProduct>;
export type CrmSearchResult = z.output<typeof crmSearchResult>;
