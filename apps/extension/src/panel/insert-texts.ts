/** The texts "insert into chat" puts in the composer, in the agent's language. Null when there is no link. */
import type { PanelCart, PanelOrder, PanelProduct, PanelSearchResult, PanelTracking } from '@parley/contract';
import { safeHttpUrl } from './dom.ts';
import type { Formatters } from './format.ts';
import type { Translate } from './i18n.ts';

export function trackingText(t: Translate, order: PanelOrder, tracking: PanelTracking): string | null {
  const url = safeHttpUrl(tracking.url);
  if (url === null) return null;
  return order.name === null
    ? t('insert.trackingNoOrder', { url })
    : t('insert.tracking', { order: order.name, url });
}

export function cartText(t: Translate, cart: PanelCart): string | null {
  const url = safeHttpUrl(cart.url);
  return url === null ? null : t('insert.cart', { url });
}

export function productText(t: Translate, fmt: Formatters, product: PanelProduct): string | null {
  const url = safeHttpUrl(product.url);
  if (url === null) return null;
  const name = product.name ?? product.sku ?? url;
  return product.price === null
    ? t('insert.productNoPrice', { name, url })
    : t('insert.product', { name, price: fmt.money(product.price, product.currency), url });
}

export function searchResultText(t: Translate, result: PanelSearchResult): string | null {
  const url = safeHttpUrl(result.url);
  if (url === null) return null;
  return result.title === null ? url : t('insert.link', { title: result.title, url });
}
