import {
  crmAbandonedCart,
  crmCustomer,
  crmItem,
  crmOrder,
  crmProduct,
  crmProductVariant,
  crmSearchResult,
  crmTracking,
  type CrmAbandonedCart,
  type CrmCustomer,
  type CrmItem,
  type CrmLink,
  type CrmOrder,
  type CrmProduct,
  type CrmProductVariant,
  type CrmSearchResult,
  type CrmTracking,
} from './entity-schemas.ts';
import type {
  PanelCart,
  PanelCustomer,
  PanelExtra,
  PanelItem,
  PanelLink,
  PanelOrder,
  PanelProduct,
  PanelProductVariant,
  PanelSearchResult,
  PanelTracking,
} from './panel-model.ts';

/*
 * From what the lenient parse accepted to the panel model. Everything here is already checked, so
 * these functions only reshape: absent becomes null, one-or-many becomes a list, left-out list entries
 * (undefined) disappear, and fields without a slot move to `extra`.
 */

type Many<T> = T | (T | undefined)[] | null | undefined;

/** Entries as a list, without the ones the lenient parse left out. */
export function listFrom<T>(value: Many<T>): T[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return [value];
  return value.filter((entry): entry is T => entry !== undefined);
}

const textsFrom = (value: Many<string | null>): string[] =>
  listFrom(value).filter((entry): entry is string => entry !== null);

/**
 * The fields the schema has no slot for. Most entities have none, so the common case only walks the
 * keys: building entries for every field and filtering them was a tenth of the cost of a parse.
 */
function extraOf(value: Record<string, unknown>, schema: { readonly shape: object }): PanelExtra {
  const { shape } = schema;
  let extra: Array<[string, unknown]> | undefined;
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) (extra ??= []).push([key, value[key]]);
  }
  // fromEntries, not assignment: a "__proto__" key the CRM sent stays a plain field.
  return extra === undefined ? {} : Object.fromEntries(extra);
}

function toPanelItem(item: CrmItem): PanelItem {
  return {
    name: item.name ?? null,
    sku: item.sku ?? null,
    quantity: item.quantity ?? null,
    price: item.price ?? null,
    image: item.image ?? null,
    extra: extraOf(item, crmItem),
  };
}

function toPanelTracking(tracking: CrmTracking): PanelTracking {
  return {
    company: tracking.company ?? null,
    number: tracking.number ?? null,
    url: tracking.url ?? null,
    status: tracking.status ?? null,
    extra: extraOf(tracking, crmTracking),
  };
}

function trackingOf(order: CrmOrder): PanelTracking[] {
  const tracking = listFrom(order.tracking).map(toPanelTracking);
  const url = order.trackingUrl;
  if (url === null || url === undefined || tracking.some((entry) => entry.url === url)) return tracking;
  return [...tracking, { company: null, number: null, url, status: null, extra: {} }];
}

export function toPanelOrder(order: CrmOrder): PanelOrder {
  return {
    name: order.name ?? null,
    date: order.date ?? null,
    status: order.status ?? null,
    currency: order.currency ?? null,
    amount: order.amount ?? null,
    netAmount: order.netAmount ?? null,
    totalRefunded: order.totalRefunded ?? null,
    totalDiscounts: order.totalDiscounts ?? null,
    url: order.url ?? null,
    items: listFrom(order.items).map(toPanelItem),
    tracking: trackingOf(order),
    extra: extraOf(order, crmOrder),
  };
}

function toPanelCart(cart: CrmAbandonedCart): PanelCart {
  return {
    date: cart.date ?? null,
    amount: cart.amount ?? null,
    currency: cart.currency ?? null,
    url: cart.url ?? null,
    items: listFrom(cart.items).map(toPanelItem),
    extra: extraOf(cart, crmAbandonedCart),
  };
}

const toPanelLink = (link: CrmLink): PanelLink => ({ label: link.label ?? link.url, url: link.url });

export function toPanelCustomer(customer: CrmCustomer): PanelCustomer {
  return {
    id: customer.id ?? null,
    name: customer.name ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    shopUrl: customer.shopUrl ?? null,
    state: customer.state ?? null,
    segment: customer.segment ?? null,
    address: customer.address ?? null,
    registeredAt: customer.registeredAt ?? null,
    tags: textsFrom(customer.tags),
    notes: textsFrom(customer.notes),
    links: listFrom(customer.links).map(toPanelLink),
    metrics: {
      ordersCount: customer.ordersCount ?? null,
      totalSpent: customer.totalSpent ?? null,
      totalRefunded: customer.totalRefunded ?? null,
      totalDiscounts: customer.totalDiscounts ?? null,
      loyaltyPoints: customer.loyaltyPoints ?? null,
      currency: customer.currency ?? null,
    },
    orders: listFrom(customer.orders).map(toPanelOrder),
    lastOrder: customer.lastOrder ? toPanelOrder(customer.lastOrder) : null,
    abandonedCarts: listFrom(customer.abandonedCarts).map(toPanelCart),
    extra: extraOf(customer, crmCustomer),
  };
}

const toPanelVariant = (variant: CrmProductVariant): PanelProductVariant => ({
  id: variant.id ?? null,
  sku: variant.sku ?? null,
  title: variant.title ?? null,
  price: variant.price ?? null,
  stock: variant.stock ?? null,
  extra: extraOf(variant, crmProductVariant),
});

export function toPanelProduct(product: CrmProduct): PanelProduct {
  return {
    id: product.id ?? null,
    name: product.name ?? null,
    sku: product.sku ?? null,
    price: product.price ?? null,
    currency: product.currency ?? null,
    stock: product.stock ?? null,
    url: product.url ?? null,
    image: product.image ?? null,
    description: product.description ?? null,
    variants: listFrom(product.variants).map(toPanelVariant),
    extra: extraOf(product, crmProduct),
  };
}

export function toPanelSearchResult(result: CrmSearchResult): PanelSearchResult {
  return {
    type: result.type ?? null,
    id: result.id ?? null,
    title: result.title ?? null,
    subtitle: result.subtitle ?? null,
    url: result.url ?? null,
    phone: result.phone ?? null,
    email: result.email ?? null,
    extra: extraOf(result, crmSearchResult),
  };
}
