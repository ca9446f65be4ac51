/**
 * The normalized customers of a CRM test, drawn by the side panel's own view code
 * (apps/extension/src/panel/views/customer.ts, which builds DOM from text nodes only) with the side
 * panel's stylesheet, inside a shadow root so neither page's styles leak into the other.
 */
import type { PanelCustomer } from '@parley/contract';
import { useEffect, useRef } from 'preact/hooks';
import { createFormatters } from '../../extension/src/panel/format.ts';
import { createTranslator } from '../../extension/src/panel/i18n.ts';
import type { ViewContext } from '../../extension/src/panel/view-context.ts';
import { customerView } from '../../extension/src/panel/views/customer.ts';
import { useLanguage } from './i18n.ts';

const noAction = () => undefined;

export function CustomerPreview({ customers }: { customers: PanelCustomer[] }) {
  const language = useLanguage();
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = holder.current;
    if (host === null) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const locale = language === 'es' ? 'es-ES' : 'en-GB';
    const ctx: ViewContext = {
      t: createTranslator(locale),
      fmt: createFormatters(locale),
      actions: {
        insert: noAction,
        openChat: noAction,
        refresh: noAction,
        openOptions: noAction,
        select: noAction,
        showTab: noAction,
        link: noAction,
        view: noAction,
      },
    };
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = '/console/panel.css';
    const body = document.createElement('div');
    body.className = 'panel-body';
    body.append(...customers.map((customer) => customerView({ customer, matches: 1, linked: false }, ctx)));
    root.replaceChildren(style, body);
  }, [customers, language]);

  return <div ref={holder} class="customer-preview" data-testid="customer-preview" />;
}
