/** Panel-model values for unit tests: every field present, overridable per test. */
import type { CustomerLookupResponse, FollowupView, PanelCustomer, PanelOrder } from '@parley/contract';

export function order(overrides: Partial<PanelOrder> = {}): PanelOrder {
  return {
    name: '#EX-2026-0311',
    date: '2026-03-01T09:30:00Z',
    status: 'Shipped',
    currency: 'EUR',
    amount: 149.9,
    netAmount: 149.9,
    totalRefunded: 0,
    totalDiscounts: 0,
    url: 'https://erp.example-shop.es/orders/311',
    items: [],
    tracking: [
      {
        company: 'SEUR',
        number: 'SE123',
        url: 'https://track.example/SE123',
        status: 'In transit',
        extra: {},
      },
    ],
    extra: {},
    ...overrides,
  };
}

export function customer(overrides: Partial<PanelCustomer> = {}): PanelCustomer {
  return {
    id: '48213',
    name: 'Lucía Fernández Ortega',
    email: 'lucia@example.net',
    phone: '+34655123987',
    shopUrl: 'https://erp.example-shop.es/customers/48213',
    state: 'Gold member',
    segment: null,
    address: null,
    registeredAt: null,
    tags: [],
    notes: [],
    links: [],
    metrics: {
      ordersCount: 3,
      totalSpent: 400,
      totalRefunded: 0,
      totalDiscounts: 0,
      loyaltyPoints: 120,
      currency: 'EUR',
    },
    orders: [order()],
    lastOrder: null,
    abandonedCarts: [],
    extra: {},
    ...overrides,
  };
}

export function lookupAnswer(overrides: Partial<CustomerLookupResponse> = {}): CustomerLookupResponse {
  return {
    phone: '+34655123987',
    status: 'found',
    fetched_at: '2026-03-02T10:00:00.000Z',
    latency_ms: 42,
    warnings: [],
    customers: [customer()],
    linked_phones: [],
    cached: false,
    ...overrides,
  };
}

export function followup(overrides: Partial<FollowupView> = {}): FollowupView {
  return {
    id: 'fu_1',
    phone: '+34655123987',
    chat_name: 'Lucía Fernández',
    status: 'due',
    cancel_reason: null,
    intent_level: 'high',
    outcome: 'abandoned',
    product_mentioned: 'Trail shoes X',
    customer_objection: 'Shipping cost',
    suggested_message: 'Hola Lucía, ¿te ayudo con las zapatillas?',
    attempt_number: 1,
    due_at: '2026-03-02T10:00:00.000Z',
    created_at: '2026-03-02T09:00:00.000Z',
    sent_at: null,
    dismissed_at: null,
    replied_at: null,
    converted_at: null,
    whatsapp_url: 'https://web.whatsapp.com/send?phone=34655123987',
    ...overrides,
  };
}
