/*
 * The one model the side panel, the AI context and the CRM tester show, whatever shape the CRM sent
 * (docs/crm-endpoints.md#answers, docs/side-panel.md). Absent or unusable values are `null`, lists are always
 * lists, money is a number, dates are ISO 8601 text, and every URL is an absolute http(s) URL.
 */

/**
 * Fields the CRM sent that Parley has no slot for, exactly as sent, so the panel can still show them.
 * They are unchecked: render them as text, never as links or HTML.
 */
export type PanelExtra = Record<string, unknown>;

export interface PanelLink {
  /** The URL itself when the CRM gave no label. */
  label: string;
  url: string;
}

export interface PanelItem {
  name: string | null;
  sku: string | null;
  quantity: number | null;
  price: number | null;
  image: string | null;
  extra: PanelExtra;
}

export interface PanelTracking {
  company: string | null;
  number: string | null;
  url: string | null;
  status: string | null;
  extra: PanelExtra;
}

export interface PanelOrder {
  name: string | null;
  date: string | null;
  status: string | null;
  currency: string | null;
  amount: number | null;
  netAmount: number | null;
  totalRefunded: number | null;
  totalDiscounts: number | null;
  url: string | null;
  items: PanelItem[];
  /** One object, a list, and an order-level `trackingUrl` all end up here. */
  tracking: PanelTracking[];
  extra: PanelExtra;
}

export interface PanelCart {
  date: string | null;
  amount: number | null;
  currency: string | null;
  url: string | null;
  items: PanelItem[];
  extra: PanelExtra;
}

/** The CRM's own figures: not recomputed from `orders`, which is often only the latest few. */
export interface PanelMetrics {
  ordersCount: number | null;
  totalSpent: number | null;
  totalRefunded: number | null;
  totalDiscounts: number | null;
  loyaltyPoints: number | null;
  currency: string | null;
}

export interface PanelCustomer {
  id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  shopUrl: string | null;
  state: string | null;
  segment: string | null;
  /** One line; a structured address is joined with ", " in the order the CRM sent its parts. */
  address: string | null;
  registeredAt: string | null;
  tags: string[];
  notes: string[];
  links: PanelLink[];
  metrics: PanelMetrics;
  orders: PanelOrder[];
  /** A CRM's summary of the latest order (kept apart: it may or may not repeat an entry of `orders`). */
  lastOrder: PanelOrder | null;
  abandonedCarts: PanelCart[];
  extra: PanelExtra;
}

export interface PanelProductVariant {
  id: string | null;
  sku: string | null;
  title: string | null;
  price: number | null;
  stock: number | null;
  extra: PanelExtra;
}

export interface PanelProduct {
  id: string | null;
  name: string | null;
  sku: string | null;
  price: number | null;
  currency: string | null;
  stock: number | null;
  url: string | null;
  image: string | null;
  description: string | null;
  variants: PanelProductVariant[];
  extra: PanelExtra;
}

export interface PanelSearchResult {
  /** As the CRM sent it: "customer", "order", "product" or its own kinds. */
  type: string | null;
  id: string | null;
  title: string | null;
  subtitle: string | null;
  url: string | null;
  phone: string | null;
  email: string | null;
  extra: PanelExtra;
}

/** `found` is true exactly when `customers` is not empty, so callers need one check, not two. */
export interface PanelCustomersAnswer {
  found: boolean;
  customers: PanelCustomer[];
}

export interface PanelAiCustomersAnswer extends PanelCustomersAnswer {
  /** Free text the CRM wants the AI to know; kept even when no customer was found. */
  context: string | null;
}

export interface PanelProductsAnswer {
  found: boolean;
  products: PanelProduct[];
}

export interface PanelSearchAnswer {
  found: boolean;
  results: PanelSearchResult[];
}

/**
 * `found`: the CRM knows this phone. `converted`: it bought since the follow-up; when the CRM omits it,
 * whether it sent any order.
 */
export interface PanelConversionAnswer {
  found: boolean;
  converted: boolean;
  orders: PanelOrder[];
}

/** The normalized answer of each CRM endpoint type. */
export interface PanelCrmAnswers {
  sidePanel_CustomerInfo: PanelCustomersAnswer;
  ai_CustomerInitialInfo: PanelAiCustomersAnswer;
  sidePanel_CustomerFindToJoin: PanelCustomersAnswer;
  search_Products: PanelProductsAnswer;
  globalSearch: PanelSearchAnswer;
  verify_conversion: PanelConversionAnswer;
}
