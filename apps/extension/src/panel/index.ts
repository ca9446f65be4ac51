/** The side panel page. Its URL carries the WhatsApp tab it belongs to (`?tab=<id>`, set by the background). */
import { createFormatters } from './format.ts';
import { createTranslator } from './i18n.ts';
import { startPanel } from './controller.ts';

const tabParameter = new URLSearchParams(location.search).get('tab');
const tabId = tabParameter !== null && /^\d+$/.test(tabParameter) ? Number(tabParameter) : null;
const locale = navigator.language;
document.documentElement.lang = locale;
const container = document.getElementById('app');
if (container !== null)
  startPanel(container, { tabId, t: createTranslator(locale), fmt: createFormatters(locale) });
