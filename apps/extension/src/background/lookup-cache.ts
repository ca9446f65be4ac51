/**
 * A short cache of customer lookups in `chrome.storage.session`, so an agent going back and forth
 * between chats does not wait for the server each time. The server caches CRM answers for longer;
 * this only saves the round trip. Errors are not cached: a Retry must reach the server.
 */
import type { CustomerLookupResponse } from '@parley/contract';

const TTL_MS = 20_000;

interface Entry {
  storedAt: number;
  response: CustomerLookupResponse;
}

const keyOf = (phone: string) => `lookup:${phone}`;

export async function cachedLookup(phone: string, now = Date.now()): Promise<CustomerLookupResponse | null> {
  const stored = await chrome.storage.session.get(keyOf(phone));
  const entry = stored[keyOf(phone)] as Entry | undefined;
  return entry !== undefined && now - entry.storedAt < TTL_MS ? entry.response : null;
}

export async function storeLookup(phone: string, response: CustomerLookupResponse): Promise<void> {
  if (response.status !== 'found' && response.status !== 'not_found') return;
  const entry: Entry = { storedAt: Date.now(), response };
  await chrome.storage.session.set({ [keyOf(phone)]: entry });
}

/** After a link changes which customers a chat shows. */
export async function dropLookup(phone: string): Promise<void> {
  await chrome.storage.session.remove(keyOf(phone));
}
