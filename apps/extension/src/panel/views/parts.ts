/** Small pieces several views share: section, badge, key-value row, the CRM's extra fields. */
import type { PanelExtra } from '@parley/contract';
import { h } from '../dom.ts';
import { statusTone, type StatusTone } from '../status-tone.ts';

export function section(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'section' }, h('h3', { class: 'section-title' }, title), ...children);
}

export function badge(text: string | null, tone: StatusTone = statusTone(text)): HTMLElement | null {
  return text === null ? null : h('span', { class: `badge badge-${tone}` }, text);
}

/** An order or tracking status as CRMs send it (`in_transit`, `partially-refunded`), readable. */
export function statusBadge(status: string | null): HTMLElement | null {
  if (status === null) return null;
  const spaced = status.replace(/[_-]+/g, ' ').trim();
  const readable =
    spaced === spaced.toLowerCase() ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : spaced;
  return badge(readable, statusTone(status));
}

export function chips(values: readonly string[]): HTMLElement | null {
  if (values.length === 0) return null;
  return h('div', { class: 'chips' }, ...values.map((value) => h('span', { class: 'chip' }, value)));
}

/** Extras are unchecked CRM data: shown as text only, objects as compact JSON. */
export function extras(extra: PanelExtra): HTMLElement | null {
  const entries = Object.entries(extra).filter(([, value]) => value !== null && value !== undefined);
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'extras' },
    ...entries.flatMap(([name, value]) => [
      h('dt', {}, name),
      h('dd', {}, typeof value === 'object' ? JSON.stringify(value).slice(0, 300) : String(value)),
    ]),
  );
}
