/** Turns saved or typed settings into a Connection the server client can use, or says what is missing. */
import type { SettingsInput } from '../shared/messages.ts';
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { hostPermissionPattern, normalizeServerUrl } from '../shared/server-url.ts';
import type { Connection } from './server-client.ts';

/** A connection that carries a token (every call but `/health`). */
export type AgentConnection = Connection & { token: string };
import { readSettings } from './settings-store.ts';

export async function savedConnection(): Promise<Outcome<AgentConnection>> {
  const settings = await readSettings();
  if (settings === null || settings.token === '') {
    return fail({
      kind: 'not_configured',
      detail: 'Set the server URL and agent token in the options page.',
    });
  }
  return permitted({ serverUrl: settings.serverUrl, token: settings.token });
}

/** Settings typed in the options page; a null token means the saved one. */
export async function connectionFrom(input: SettingsInput): Promise<Outcome<AgentConnection>> {
  const url = normalizeServerUrl(input.serverUrl);
  if (!url.ok) return fail({ kind: 'invalid_settings', detail: `Server URL: ${url.problem}.` });
  const token = input.token ?? (await readSettings())?.token ?? '';
  if (token.trim() === '') return fail({ kind: 'invalid_settings', detail: 'The agent token is empty.' });
  return permitted({ serverUrl: url.url, token: token.trim() });
}

async function permitted(connection: AgentConnection): Promise<Outcome<AgentConnection>> {
  const pattern = hostPermissionPattern(connection.serverUrl);
  const granted = await chrome.permissions.contains({ origins: [pattern] });
  return granted
    ? succeed(connection)
    : fail({ kind: 'no_permission', detail: `Chrome has not allowed the extension to reach ${pattern}.` });
}
