/** The item lines of an order or a cart: "2 × Trail running shoes — 119,90 €". */
import type { PanelItem } from '@parley/contract';
import { h, remoteImage } from '../dom.ts';
import type { Formatters } from '../format.ts';

export function itemList(
  items: readonly PanelItem[],
  currency: string | null,
  fmt: Formatters,
): HTMLElement | null {
  if (items.length === 0) return null;
  return h(
    'ul',
    { class: 'items' },
    ...items.map((item) => {
      const name = item.name ?? item.sku ?? '—';
      return h(
        'li',
        { class: 'item' },
        remoteImage(item.image, name),
        h(
          'span',
          { class: 'item-name' },
          item.quantity === null ? '' : `${fmt.number(item.quantity)} × `,
          name,
          item.sku === null || item.name === null ? null : h('span', { class: 'muted' }, ` · ${item.sku}`),
        ),
        item.price === null ? null : h('span', { class: 'item-price' }, fmt.money(item.price, currency)),
      );
    }),
  );
}
