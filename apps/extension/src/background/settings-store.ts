/**
 * The server URL and token live in `chrome.storage.local`, readable by extension pages and the
 * service worker only (content scripts run beside WhatsApp's page and never need the token).
 */
import type { Settings, SettingsView } from '../shared/settings.ts';

const KEY = 'settings';

/** Idempotent; called at every service-worker start because the access level is not persisted everywhere. */
export async function restrictSettingsToExtensionPages(): Promise<void> {
  await chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
}

export async function readSettings(): Promise<Settings | null> {
  const stored = await chrome.storage.local.get(KEY);
  const value = stored[KEY] as Partial<Settings> | undefined;
  if (typeof value?.serverUrl !== 'string' || typeof value.token !== 'string') return null;
  return { serverUrl: value.serverUrl, token: value.token, reportMessages: value.reportMessages === true };
}

export async function writeSettings(settings: Settings): Promise<void> {
  await chrome.storage.local.set({ [KEY]: settings });
}

export function viewOf(settings: Settings | null): SettingsView {
  return {
    serverUrl: settings?.serverUrl ?? null,
    hasToken: settings !== null && settings.token !== '',
    reportMessages: settings?.reportMessages ?? false,
  };
}
