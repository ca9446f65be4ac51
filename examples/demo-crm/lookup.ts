/**
 * Finding things in the dataset the way agents search: words in any order, case- and accent-insensitive
 * ("ortega lucia" finds Lucía Fernández Ortega), and phone numbers by their digits whatever the spacing
 * ("655 123" finds +34655123987).
 */
import { customers, products, type DemoCustomer, type DemoOrder, type DemoProduct } from './dataset.ts';

const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** Whether every word of a free-text query appears in the texts, or its digits in a phone. */
function matches(query: string, texts: readonly string[], phones: readonly string[] = []): boolean {
  const haystack = folded(texts.join(' '));
  const words = folded(query)
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length > 0 && words.every((word) => haystack.includes(word))) return true;
  // Only a query that looks like a phone number is compared by digits, so "#EX-2026" does not match a phone.
  const digits = digitsOf(query);
  return (
    /^[\d\s()+.-]+$/.test(query) && digits.length >= 3 && phones.some((p) => digitsOf(p).includes(digits))
  );
}

/** The customers whose phone is one of `phones`, in the order the phones were given. */
export function customersByPhone(phones: readonly string[]): DemoCustomer[] {
  const found = phones.flatMap((phone) =>
    customers.filter((customer) => digitsOf(customer.phone) === digitsOf(phone)),
  );
  return [...new Set(found)];
}

export const searchCustomers = (query: string): DemoCustomer[] =>
  customers.filter((customer) =>
    matches(query, [customer.id, customer.name, customer.email], [customer.phone]),
  );

/** A product matches by its own name, SKU and description, or by any variant's SKU or title. */
export const searchProducts = (query: string): DemoProduct[] =>
  products.filter((product) =>
    matches(query, [
      product.name,
      product.sku,
      product.description,
      ...product.variants.flatMap((variant) => [variant.sku, `${product.name} ${variant.title}`]),
    ]),
  );

/** An order matches by its name or by an item's name or SKU. */
export const searchOrders = (query: string): Array<{ order: DemoOrder; customer: DemoCustomer }> =>
  customers.flatMap((customer) =>
    customer.orders
      .filter((order) =>
        matches(query, [order.name, ...order.items.flatMap((item) => [item.name, item.sku])]),
      )
      .map((order) => ({ order, customer })),
  );
