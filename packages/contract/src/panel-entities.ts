/**
 * The panel model (crm/panel-model.ts) as zod schemas, for clients that validate what the side-panel
 * API answers. Objects are loose so that a newer server adding a field does not break an older
 * extension. The type checks at the bottom fail the build if a schema and its interface drift apart.
 */
import { z } from 'zod';
import type { CrmAnswerIssue } from './crm/answer-result.ts';
import type {
  PanelCart,
  PanelCustomer,
  PanelItem,
  PanelLink,
  PanelMetrics,
  PanelOrder,
  PanelProduct,
  PanelProductVariant,
  PanelSearchResult,
  PanelTracking,
} from './crm/panel-model.ts';

const text = z.string().nullable();
const amount = z.number().nullable();
const extra = z.record(z.string(), z.unknown());

export const crmAnswerIssue = z.object({ path: z.string(), message: z.string() });

export const panelLink = z.object({ label: z.string(), url: z.string() });

export const panelItem = z.object({
  name: text,
  sku: text,
  quantity: amount,
  price: amount,
  image: text,
  extra,
});

export const panelTracking = z.object({ company: text, number: text, url: text, status: text, extra });

export const panelOrder = z.object({
  name: text,
  date: text,
  status: text,
  currency: text,
  amount,
  netAmount: amount,
  totalRefunded: amount,
  totalDiscounts: amount,
  url: text,
  items: z.array(panelItem),
  tracking: z.array(panelTracking),
  extra,
});

export const panelCart = z.object({
  date: text,
  amount,
  currency: text,
  url: text,
  items: z.array(panelItem),
  extra,
});

export const panelMetrics = z.object({
  ordersCount: amount,
  totalSpent: amount,
  totalRefunded: amount,
  totalDiscounts: amount,
  loyaltyPoints: amount,
  currency: text,
});

export const panelCustomer = z.object({
  id: text,
  name: text,
  email: text,
  phone: text,
  shopUrl: text,
  state: text,
  segment: text,
  address: text,
  registeredAt: text,
  tags: z.array(z.string()),
  notes: z.array(z.string()),
  links: z.array(panelLink),
  metrics: panelMetrics,
  orders: z.array(panelOrder),
  lastOrder: panelOrder.nullable(),
  abandonedCarts: z.array(panelCart),
  extra,
});

export const panelProductVariant = z.object({
  id: text,
  sku: text,
  title: text,
  price: amount,
  stock: amount,
  extra,
});

export const panelProduct = z.object({
  id: text,
  name: text,
  sku: text,
  price: amount,
  currency: text,
  stock: amount,
  url: text,
  image: text,
  description: text,
  variants: z.array(panelProductVariant),
  extra,
});

export const panelSearchResult = z.object({
  type: text,
  id: text,
  title: text,
  subtitle: text,
  url: text,
  phone: text,
  email: text,
  extra,
});

// Compile-time only: each schema's output must be exactly its panel-model interface.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type _PanelSchemasMatchTheModel = [
  Expect<Same<z.output<typeof crmAnswerIssue>, CrmAnswerIssue>>,
  Expect<Same<z.output<typeof panelLink>, PanelLink>>,
  Expect<Same<z.output<typeof panelItem>, PanelItem>>,
  Expect<Same<z.output<typeof panelTracking>, PanelTracking>>,
  Expect<Same<z.output<typeof panelOrder>, PanelOrder>>,
  Expect<Same<z.output<typeof panelCart>, PanelCart>>,
  Expect<Same<z.output<typeof panelMetrics>, PanelMetrics>>,
  Expect<Same<z.output<typeof panelCustomer>, PanelCustomer>>,
  Expect<Same<z.output<typeof panelProductVariant>, PanelProductVariant>>,
  Expect<Same<z.output<typeof panelProduct>, PanelProduct>>,
  Expect<Same<z.output<typeof panelSearchResult>, PanelSearchResult>>,
];
