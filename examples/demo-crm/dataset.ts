/**
 * The demo CRM's data: four customers and five products, kept in the shape Parley reads
 * (docs/crm-endpoints.md) so each answer is a selection of these objects, not a translation.
 * Lucía's phone and first orders match the reference answers in packages/contract/src/crm/fixtures.
 *
 * A few values use the lenient forms Parley accepts, as real CRMs send them: tags as one
 * comma-separated string, amounts as plain decimal strings, an address as an object, notes as one
 * string, tracking as one object or a list, and fields Parley has no slot for (shown as extras).
 * Orders are listed newest first.
 */

/** A JSON number, or a plain decimal string such as "479.60" (no thousands separators). */
type Amount = number | string;

export interface DemoItem {
  name: string;
  sku: string;
  quantity: number;
  price: Amount;
  image?: string;
}

export interface DemoTracking {
  company: string;
  number: string;
  url: string;
  status: string;
}

export interface DemoOrder {
  name: string;
  date: string;
  status: string;
  currency: string;
  amount: Amount;
  netAmount: Amount;
  totalRefunded: Amount;
  totalDiscounts: Amount;
  url: string;
  items: DemoItem[];
  tracking?: DemoTracking | DemoTracking[];
}

export interface DemoCart {
  date: string;
  amount: Amount;
  currency: string;
  url: string;
  items: DemoItem[];
}

export interface DemoCustomer {
  id: string;
  name: string;
  email: string;
  phone: string;
  shopUrl: string;
  state: string;
  segment: string;
  tags: string[] | string;
  address: string | Record<string, string>;
  registeredAt: string;
  notes: string[] | string;
  links: Array<{ label: string; url: string }>;
  currency: string;
  ordersCount: number;
  totalSpent: Amount;
  totalRefunded: Amount;
  totalDiscounts: Amount;
  loyaltyPoints: number;
  orders: DemoOrder[];
  abandonedCarts: DemoCart[];
  /** A field of the CRM's own: Parley has no slot for it and keeps it as an extra. */
  preferredLanguage?: string;
}

export interface DemoVariant {
  id: string;
  sku: string;
  title: string;
  price: Amount;
  stock: number;
}

export interface DemoProduct {
  id: string;
  name: string;
  sku: string;
  price: Amount;
  currency: string;
  stock: number;
  url: string;
  image: string;
  description: string;
  variants: DemoVariant[];
}

const ERP = 'https://erp.example-shop.es';
const SHOP = 'https://shop.example-shop.es';
const CDN = 'https://cdn.example-shop.es/img';

export const customers: readonly DemoCustomer[] = [
  {
    id: '48213',
    name: 'Lucía Fernández Ortega',
    email: 'lucia.fernandez@example.net',
    phone: '+34655123987',
    shopUrl: `${ERP}/customers/48213`,
    state: 'Gold member',
    segment: 'Loyal runner',
    tags: ['vip', 'running', 'newsletter'],
    address: { street: 'Calle de Alcalá 120, 3º B', zip: '28009', city: 'Madrid', country: 'ES' },
    registeredAt: '2023-04-12T10:21:00Z',
    notes: [
      'Prefers replies in Spanish.',
      'Open return request for order #EX-2025-1187 (already refunded).',
      'Free shipping applies to all her orders.',
    ],
    links: [
      { label: 'Invoices', url: `${ERP}/customers/48213/invoices` },
      { label: 'Support tickets', url: 'https://help.example-shop.es/requesters/48213' },
    ],
    currency: 'EUR',
    ordersCount: 7,
    totalSpent: 612.4,
    totalRefunded: 39.9,
    totalDiscounts: 18,
    loyaltyPoints: 1240,
    preferredLanguage: 'es',
    orders: [
      {
        name: '#EX-2026-0311',
        date: '2026-02-27T09:14:00Z',
        status: 'shipped',
        currency: 'EUR',
        amount: 149.9,
        netAmount: 131.9,
        totalRefunded: 0,
        totalDiscounts: 18,
        url: `${ERP}/orders/311`,
        items: [
          {
            name: 'Trail running shoes - size 39',
            sku: 'TRS-39-BLU',
            quantity: 1,
            price: 119.9,
            image: `${CDN}/trs-blu.jpg`,
          },
          { name: 'Merino socks (2 pack)', sku: 'SOX-M-2', quantity: 1, price: 30 },
        ],
        tracking: {
          company: 'SEUR',
          number: 'SE123456789ES',
          url: 'https://tracking.example-carrier.com/SE123456789ES',
          status: 'in_transit',
        },
      },
      {
        name: '#EX-2025-1187',
        date: '2025-11-03T17:42:10Z',
        status: 'partially_refunded',
        currency: 'EUR',
        amount: 79.8,
        netAmount: 39.9,
        totalRefunded: 39.9,
        totalDiscounts: 0,
        url: `${ERP}/orders/1187`,
        items: [{ name: 'Windbreaker jacket - M', sku: 'WBJ-M', quantity: 2, price: 39.9 }],
      },
    ],
    abandonedCarts: [
      {
        date: '2026-03-01T21:05:33Z',
        amount: 54.5,
        currency: 'EUR',
        url: `${SHOP}/cart/recover/9f2c7a`,
        items: [
          { name: 'Hydration vest 5L', sku: 'HV-5L', quantity: 1, price: 54.5, image: `${CDN}/hv-5l.jpg` },
        ],
      },
    ],
  },
  {
    id: '50877',
    name: 'Lucía Fernández (work account)',
    email: 'l.fernandez@acme-logistics.example',
    phone: '+34911222333',
    shopUrl: `${ERP}/customers/50877`,
    state: 'B2B',
    segment: 'Company',
    tags: 'b2b, monthly-invoice',
    address: 'Calle de la Logística 4, 28830 San Fernando de Henares, Madrid',
    registeredAt: '2025-06-02',
    notes: 'Buys for the ACME Logistics running club. Invoice to ACME Logistics S.L., VAT ESB12345678.',
    links: [{ label: 'Company account', url: `${ERP}/companies/acme-logistics` }],
    currency: 'EUR',
    ordersCount: 2,
    totalSpent: '479.60',
    totalRefunded: '0',
    totalDiscounts: '24.00',
    loyaltyPoints: 0,
    orders: [
      {
        name: '#EX-2026-0198',
        date: '2026-01-15T11:02:00+01:00',
        status: 'delivered',
        currency: 'EUR',
        amount: '239.80',
        netAmount: '227.81',
        totalRefunded: '0',
        totalDiscounts: '11.99',
        url: `${ERP}/orders/198`,
        items: [{ name: 'Trail running shoes - size 40', sku: 'TRS-40-BLU', quantity: 2, price: '119.90' }],
        tracking: [
          {
            company: 'SEUR',
            number: 'SE987654321ES',
            url: 'https://tracking.example-carrier.com/SE987654321ES',
            status: 'delivered',
          },
        ],
      },
    ],
    abandonedCarts: [],
  },
  {
    id: '51002',
    name: "James O'Connor",
    email: 'james.oconnor@example.co.uk',
    phone: '+447911123456',
    shopUrl: `${ERP}/customers/51002`,
    state: 'Active',
    segment: 'International',
    tags: ['uk', 'trail'],
    address: { line1: '14 Baker Street', city: 'London', postcode: 'NW1 6XE', country: 'GB' },
    registeredAt: '2024-09-18T08:00:00+01:00',
    notes: ['Ships to the UK: customs fees were explained at checkout.', 'Asked for the GTX size guide.'],
    links: [{ label: 'Customs documents', url: `${ERP}/customers/51002/customs` }],
    currency: 'GBP',
    ordersCount: 3,
    totalSpent: 341.7,
    totalRefunded: 0,
    totalDiscounts: 10,
    loyaltyPoints: 520,
    orders: [
      {
        name: '#EX-2026-0342',
        date: '2026-03-01T12:30:00Z',
        status: 'shipped',
        currency: 'GBP',
        amount: 174.4,
        netAmount: 164.4,
        totalRefunded: 0,
        totalDiscounts: 10,
        url: `${ERP}/orders/342`,
        items: [
          {
            name: 'Trail running shoes GTX (waterproof) - size 44',
            sku: 'TRS-GTX-44',
            quantity: 1,
            price: 127.9,
            image: `${CDN}/trs-gtx.jpg`,
          },
          { name: 'Hydration vest 5L', sku: 'HV-5L', quantity: 1, price: 46.5 },
        ],
        // Two parcels: the shoes left the warehouse a day after the vest.
        tracking: [
          {
            company: 'Royal Mail',
            number: 'RM123456785GB',
            url: 'https://tracking.example-carrier.com/RM123456785GB',
            status: 'delivered',
          },
          {
            company: 'DHL Express',
            number: 'JD014600003828',
            url: 'https://tracking.example-carrier.com/JD014600003828',
            status: 'in_transit',
          },
        ],
      },
      {
        name: '#EX-2025-0904',
        date: '2025-09-21T16:05:00Z',
        status: 'delivered',
        currency: 'GBP',
        amount: 34.2,
        netAmount: 34.2,
        totalRefunded: 0,
        totalDiscounts: 0,
        url: `${ERP}/orders/904`,
        items: [{ name: 'Windbreaker jacket - L', sku: 'WBJ-L', quantity: 1, price: 34.2 }],
      },
    ],
    abandonedCarts: [],
  },
  {
    id: '52210',
    name: 'Emily Carter',
    email: 'emily.carter@example.com',
    phone: '+14155550123',
    shopUrl: `${ERP}/customers/52210`,
    state: 'New customer',
    segment: 'First purchase',
    tags: [],
    address: '500 Market St, San Francisco, CA 94105, US',
    registeredAt: '2026-02-20T18:45:00-08:00',
    notes: 'Found us through the trail running blog.',
    links: [],
    currency: 'USD',
    ordersCount: 1,
    totalSpent: 36.5,
    totalRefunded: 0,
    totalDiscounts: 0,
    loyaltyPoints: 30,
    orders: [
      {
        name: '#EX-2026-0350',
        date: '2026-03-02T09:10:00Z',
        status: 'processing',
        currency: 'USD',
        amount: 36.5,
        netAmount: 36.5,
        totalRefunded: 0,
        totalDiscounts: 0,
        url: `${ERP}/orders/350`,
        items: [{ name: 'Merino socks (2 pack) - S', sku: 'SOX-S-2', quantity: 1, price: 36.5 }],
      },
    ],
    abandonedCarts: [
      {
        date: '2026-03-02T09:02:41Z',
        amount: 48.9,
        currency: 'USD',
        url: `${SHOP}/cart/recover/51be03`,
        items: [{ name: 'Windbreaker jacket - S', sku: 'WBJ-S', quantity: 1, price: 48.9 }],
      },
    ],
  },
];

export const products: readonly DemoProduct[] = [
  {
    id: 'P-1042',
    name: 'Trail running shoes',
    sku: 'TRS-BLU',
    price: 119.9,
    currency: 'EUR',
    stock: 14,
    url: `${SHOP}/products/trail-running-shoes`,
    image: `${CDN}/trs-blu.jpg`,
    description: 'Light trail shoes with a 6 mm drop and a grippy outsole for dry and mixed terrain.',
    variants: [
      { id: 'V-1042-38', sku: 'TRS-38-BLU', title: '38 / Blue', price: 119.9, stock: 3 },
      { id: 'V-1042-39', sku: 'TRS-39-BLU', title: '39 / Blue', price: 119.9, stock: 0 },
      { id: 'V-1042-40', sku: 'TRS-40-BLU', title: '40 / Blue', price: 119.9, stock: 11 },
    ],
  },
  {
    id: 'P-1108',
    name: 'Trail running shoes GTX (waterproof)',
    sku: 'TRS-GTX',
    price: 149.9,
    currency: 'EUR',
    stock: 6,
    url: `${SHOP}/products/trail-running-shoes-gtx`,
    image: `${CDN}/trs-gtx.jpg`,
    description: 'The trail shoe with a waterproof, breathable membrane for wet winter runs.',
    variants: [
      { id: 'V-1108-42', sku: 'TRS-GTX-42', title: '42', price: 149.9, stock: 2 },
      { id: 'V-1108-44', sku: 'TRS-GTX-44', title: '44', price: 149.9, stock: 4 },
    ],
  },
  {
    id: 'P-2001',
    name: 'Merino socks (2 pack)',
    sku: 'SOX-2',
    price: '30.00',
    currency: 'EUR',
    stock: 58,
    url: `${SHOP}/products/merino-socks`,
    image: `${CDN}/sox.jpg`,
    description: 'Two pairs of cushioned merino wool running socks.',
    variants: [
      { id: 'V-2001-S', sku: 'SOX-S-2', title: 'S (35-38)', price: '30.00', stock: 20 },
      { id: 'V-2001-M', sku: 'SOX-M-2', title: 'M (39-42)', price: '30.00', stock: 26 },
      { id: 'V-2001-L', sku: 'SOX-L-2', title: 'L (43-46)', price: '30.00', stock: 12 },
    ],
  },
  {
    id: 'P-3010',
    name: 'Windbreaker jacket',
    sku: 'WBJ',
    price: 39.9,
    currency: 'EUR',
    stock: 9,
    url: `${SHOP}/products/windbreaker-jacket`,
    image: `${CDN}/wbj.jpg`,
    description: 'Packable 90 g windbreaker with a hood and reflective details.',
    variants: [
      { id: 'V-3010-S', sku: 'WBJ-S', title: 'S', price: 39.9, stock: 4 },
      { id: 'V-3010-M', sku: 'WBJ-M', title: 'M', price: 39.9, stock: 0 },
      { id: 'V-3010-L', sku: 'WBJ-L', title: 'L', price: 39.9, stock: 5 },
    ],
  },
  {
    id: 'P-4005',
    name: 'Hydration vest 5L',
    sku: 'HV-5L',
    price: 54.5,
    currency: 'EUR',
    stock: 7,
    url: `${SHOP}/products/hydration-vest-5l`,
    image: `${CDN}/hv-5l.jpg`,
    description: 'A 5 litre running vest with two 500 ml soft flasks.',
    variants: [],
  },
];
