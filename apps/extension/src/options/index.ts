/**
 * The options page: server URL, agent token, message reporting (which also feeds Smart Follow-up,
 * as the page says beside the switch), and what Parley sees on the WhatsApp page (`diagnostics.ts`).
 * It asks Chrome for access to the server's origin (needs the click's user gesture, so it happens
 * here), then lets the background check and save; the page never calls the server itself and never
 * gets the saved token back.
 */
import { readTabChat, watchTabChat } from '../shared/chat-registry.ts';
import { askBackground, type SettingsInput } from '../shared/messages.ts';
import type { Outcome } from '../shared/outcome.ts';
import { hostPermissionPattern, normalizeServerUrl } from '../shared/server-url.ts';
import { DEFAULT_SERVER_URL } from '../shared/settings.ts';
import type { ConnectionReport } from '../shared/messages.ts';
import { createFormatters } from '../panel/format.ts';
import { createTranslator, type MessageId } from '../panel/i18n.ts';
import { diagnosticRows } from './diagnostics.ts';

const t = createTranslator(navigator.language);
const fmt = createFormatters(navigator.language);
document.documentElement.lang = navigator.language;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = element<HTMLFormElement>('options');
const serverUrl = element<HTMLInputElement>('server-url');
const token = element<HTMLInputElement>('token');
const tokenHelp = element<HTMLElement>('token-help');
const report = element<HTMLInputElement>('report');
const check = element<HTMLButtonElement>('check');
const result = element<HTMLElement>('result');
const diagnostics = element<HTMLElement>('diagnostics');
const diagnosticsNone = element<HTMLElement>('diagnostics-none');

for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) {
  node.textContent = t(node.dataset.text as MessageId);
}

function show(text: string, tone: 'ok' | 'error' | 'pending'): void {
  result.textContent = text;
  result.className = `result result-${tone}`;
}

/** The typed settings, with Chrome's permission for the server's origin; null (and a message) when not possible. */
async function readForm(): Promise<SettingsInput | null> {
  const url = normalizeServerUrl(serverUrl.value);
  if (!url.ok) {
    show(t('options.invalidUrl'), 'error');
    return null;
  }
  const pattern = hostPermissionPattern(url.url);
  // Resolves at once, without a prompt, when the origin is already allowed (localhost is, by the manifest).
  if (!(await chrome.permissions.request({ origins: [pattern] }))) {
    show(t('options.permissionDenied', { origin: pattern }), 'error');
    return null;
  }
  return {
    serverUrl: url.url,
    token: token.value.trim() === '' ? null : token.value.trim(),
    reportMessages: report.checked,
  };
}

function reason(outcome: Outcome<ConnectionReport> & { ok: false }): string {
  return `${t(`failure.${outcome.failure.kind}`)} (${outcome.failure.detail})`;
}

async function run(kind: 'settings/check' | 'settings/save'): Promise<void> {
  const input = await readForm();
  if (input === null) return;
  show(t('options.checking'), 'pending');
  const outcome = await askBackground(kind, input);
  if (outcome.ok) {
    show(t(kind === 'settings/save' ? 'options.saved' : 'options.ok', { ...outcome.value }), 'ok');
    if (kind === 'settings/save') await load();
  } else {
    show(
      t(kind === 'settings/save' ? 'options.failed' : 'options.checkFailed', { reason: reason(outcome) }),
      'error',
    );
  }
}

async function load(): Promise<void> {
  const settings = await askBackground('settings/read', null);
  serverUrl.value = settings.serverUrl ?? DEFAULT_SERVER_URL;
  token.value = '';
  token.placeholder = settings.hasToken ? '••••••••' : '';
  tokenHelp.textContent = settings.hasToken ? t('options.tokenSaved') : t('options.tokenHelp');
  report.checked = settings.reportMessages;
  // The controls start disabled (options.html) so nothing typed before this point is overwritten.
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) {
    control.disabled = false;
  }
}

/** What the WhatsApp tab used last reported; follows it as it detects again. */
async function showDiagnostics(): Promise<void> {
  const rows = diagnosticRows(await readTabChat(null), t, (iso) => fmt.dateTime(iso));
  diagnosticsNone.hidden = rows.length > 0;
  diagnostics.replaceChildren(
    ...rows.flatMap(({ key, label, value }) => {
      const term = document.createElement('dt');
      term.textContent = label;
      const detail = document.createElement('dd');
      detail.textContent = value;
      detail.dataset.diagnostic = key;
      return [term, detail];
    }),
  );
}

check.addEventListener('click', () => void run('settings/check'));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run('settings/save');
});
void load();
void showDiagnostics();
watchTabChat(null, () => void showDiagnostics());
