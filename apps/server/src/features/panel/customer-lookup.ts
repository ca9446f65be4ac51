/**
 * `sidePanel_CustomerInfo` lookups behind a per-shop cache (policy.ts): a fresh answer is served from
 * memory, a stale one is served at once and refreshed in the background, and identical lookups in
 * flight share one CRM call. The key holds the chat's linked phones, because they are part of the
 * request: a lookup after a link change never gets an answer fetched without that link.
 */
import type { PanelCustomer } from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { TtlCache, type CacheLifetime } from '../../lib/ttl-cache.ts';
import { callCrmEndpoint, type CrmCallOutcome } from '../crm/index.ts';
import { toCallResult, type PanelCallResult } from './call-result.ts';
import { readLinkChange } from './link-changes.ts';
import type { LinkedPhonesMemo } from './linked-phones-memo.ts';
import type { PanelPolicy } from './policy.ts';
import { SingleFlight } from './single-flight.ts';

type CustomerCall = PanelCallResult<PanelCustomer>;

export interface CustomerLookup {
  call: CustomerCall;
  linkedPhones: readonly string[];
  cached: boolean;
}

const chatPrefix = (shopId: string, phone: string) => `${shopId}|${phone}|`;

export class CustomerLookups {
  readonly #deps: AppDeps;
  readonly #linked: LinkedPhonesMemo;
  readonly #policy: PanelPolicy;
  readonly #cache: TtlCache<CustomerCall>;
  readonly #flights = new SingleFlight<CustomerCall>();
  readonly #background = new Set<Promise<void>>();

  constructor(deps: AppDeps, linked: LinkedPhonesMemo, policy: PanelPolicy) {
    this.#deps = deps;
    this.#linked = linked;
    this.#policy = policy;
    this.#cache = new TtlCache({ maxEntries: policy.cacheEntries, clock: deps.clock });
  }

  /** `phone` is E.164; `refresh` skips the cache. */
  async lookup(shopId: string, phone: string, refresh: boolean): Promise<CustomerLookup> {
    const linkedPhones = await this.#linked.get(shopId, phone);
    const key = chatPrefix(shopId, phone) + linkedPhones.join(',');
    if (!refresh) {
      const hit = this.#cache.get(key);
      if (hit !== undefined) {
        if (hit.state === 'stale') this.#refreshInBackground(key, shopId, phone, linkedPhones);
        return { call: hit.value, linkedPhones, cached: true };
      }
    }
    return { call: await this.#fetch(key, shopId, phone, linkedPhones), linkedPhones, cached: false };
  }

  /**
   * Forgets a chat's links and answers after its links changed (`key`, link-changes.ts), or every
   * shop's when `key` is undefined (changes may have been missed).
   */
  invalidate(key: string | undefined): void {
    if (key === undefined) {
      this.#linked.forgetAll();
      this.#cache.deleteByPrefix('');
      return;
    }
    const { shopId, phone } = readLinkChange(key);
    this.#linked.forget(shopId);
    this.#cache.deleteByPrefix(chatPrefix(shopId, phone));
  }

  /** Resolves when no background refresh is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.all(this.#background);
  }

  #fetch(key: string, shopId: string, phone: string, linkedPhones: readonly string[]): Promise<CustomerCall> {
    return this.#flights.run(key, async () => {
      const outcome = await callCrmEndpoint(this.#deps, shopId, 'sidePanel_CustomerInfo', {
        phone,
        relatedphones: linkedPhones,
      });
      const call = toCallResult(
        'sidePanel_CustomerInfo',
        outcome,
        this.#deps.clock.now(),
        (answer) => answer.customers,
      );
      const lifetime = this.#lifetime(outcome.status, call, key);
      if (lifetime !== undefined) this.#cache.set(key, call, lifetime);
      return call;
    });
  }

  /** How long to keep an answer (policy.ts); undefined to not keep it. */
  #lifetime(
    outcome: CrmCallOutcome<'sidePanel_CustomerInfo'>['status'],
    call: CustomerCall,
    key: string,
  ): CacheLifetime | undefined {
    if (outcome === 'ok') return call.status === 'found' ? this.#policy.found : this.#policy.notFound;
    // A failed CRM call never replaces an answer still cached (such as the stale one being refreshed).
    if (outcome === 'error' && this.#cache.get(key) === undefined) return this.#policy.error;
    // Not configured, disabled and busy are this server's own state: asking again costs no CRM call.
    return undefined;
  }

  #refreshInBackground(key: string, shopId: string, phone: string, linkedPhones: readonly string[]): void {
    const refresh = this.#fetch(key, shopId, phone, linkedPhones).then(
      () => undefined,
      (error: unknown) => this.#deps.logger.error({ err: error }, 'refreshing a cached panel lookup failed'),
    );
    this.#background.add(refresh);
    void refresh.finally(() => this.#background.delete(refresh));
  }
}
