/**
 * The endpoint row each CRM call needs, with its secrets opened, kept for a second. Reading the row
 * is the costliest step of the connector's own work (~1-2 ms of CPU on PGlite, whose queries run on
 * the main thread), and opening the secrets (AES-GCM) and building the scrubber the next costliest,
 * against a 2 ms budget for everything Parley adds to a lookup: both are done once per cached copy.
 *
 * Every write that changes what a call does (settings, health, the signing secret) forgets the entry
 * at once, and only the crm feature writes them: a single process (always the case on PGlite) never
 * uses a stale row. With several processes
 * on one PostgreSQL, another process's change shows within TTL_MS (an endpoint disabled elsewhere may
 * be called for up to a second more).
 */
import type { CrmEndpointType } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../db/database.ts';
import type { PreparedTarget } from './exchange.ts';
import { openStoredTarget } from './open-target.ts';
import type { CrmEndpointRow } from './present.ts';
import { selectEndpointWithSecret } from './store.ts';

const TTL_MS = 1_000;

export interface CallableEndpoint {
  endpoint: CrmEndpointRow;
  target: PreparedTarget;
}

interface Entry {
  /** Undefined is cached too: a shop without this endpoint is asked about as often. */
  value: CallableEndpoint | undefined;
  /** performance.now() time: how fresh the copy is, not business time (the app clock may be manual). */
  expiresAt: number;
}

interface Cache {
  entries: Map<string, Entry>;
  /**
   * Bumped by every forget: a read that started before a write may return the row as it was, and
   * must not be kept (it would hide the write for a whole TTL).
   */
  generation: number;
}

// Per database, so test apps in one process never share entries.
const caches = new WeakMap<Db, Cache>();
const keyOf = (shopId: string, type: CrmEndpointType) => `${shopId} ${type}`;

function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = { entries: new Map(), generation: 0 };
    caches.set(db, cache);
  }
  return cache;
}

export async function readEndpointForCall(
  deps: Pick<AppDeps, 'db' | 'secrets'>,
  shopId: string,
  type: CrmEndpointType,
): Promise<CallableEndpoint | undefined> {
  const cache = cacheOf(deps.db);
  const key = keyOf(shopId, type);
  const cached = cache.entries.get(key);
  if (cached !== undefined && cached.expiresAt > performance.now()) {
    return cached.value;
  }
  const generation = cache.generation;
  const stored = await selectEndpointWithSecret(deps.db, shopId, type);
  const value =
    stored === undefined ? undefined : { endpoint: stored.endpoint, target: openStoredTarget(deps, stored) };
  if (cache.generation === generation) {
    cache.entries.set(key, { value, expiresAt: performance.now() + TTL_MS });
  }
  return value;
}

/** Call after writing an endpoint row (or the shop's signing secret); without a type, every type of the shop. */
export function forgetEndpointForCall(db: Db, shopId: string, type?: CrmEndpointType): void {
  const cache = caches.get(db);
  if (cache === undefined) return;
  cache.generation++;
  if (type !== undefined) {
    cache.entries.delete(keyOf(shopId, type));
    return;
  }
  for (const key of cache.entries.keys()) if (key.startsWith(`${shopId} `)) cache.entries.delete(key);
}
