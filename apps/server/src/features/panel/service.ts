/**
 * The side-panel service (docs/side-panel.md): one per app, holding the process's cache, in-flight calls
 * and audit buffer; its CRM calls go through the app's per-shop gate (deps.crmGate) like every other. Routes are thin adapters over it; close() flushes the audit.
 */
import type {
  AuditQuery,
  CreatePanelLinkRequest,
  CreatePanelLinkResponse,
  CustomerLookupQuery,
  CustomerLookupResponse,
  ListPanelLinksResponse,
  PanelAuditResponse,
  PanelSearchQuery,
  PanelSearchResponse,
} from '@parley/contract';
import type { AppDeps } from '../../app-deps.ts';
import { LookupAudit } from './audit.ts';
import { presentCall } from './call-result.ts';
import { CustomerLookups } from './customer-lookup.ts';
import { announceLinkChange, listenToLinkChanges } from './link-changes.ts';
import { LinkedPhonesMemo } from './linked-phones-memo.ts';
import { callerAgentId, linkCustomer, listLinks, unlinkCustomer, type PanelCaller } from './links.ts';
import { PhoneReader } from './phone-input.ts';
import { defaultPanelPolicy, type PanelPolicy } from './policy.ts';
import { searchCrm } from './search.ts';

export interface PanelService {
  lookupCustomer(caller: PanelCaller, query: CustomerLookupQuery): Promise<CustomerLookupResponse>;
  search(caller: PanelCaller, query: PanelSearchQuery): Promise<PanelSearchResponse>;
  linkCustomer(caller: PanelCaller, input: CreatePanelLinkRequest): Promise<CreatePanelLinkResponse>;
  listLinks(caller: PanelCaller, phone: string): Promise<ListPanelLinksResponse>;
  unlinkCustomer(caller: PanelCaller, linkId: string): Promise<void>;
  readAudit(shopId: string, query: AuditQuery): Promise<PanelAuditResponse>;
  /** Resolves when no background refresh is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createPanelService(deps: AppDeps, policy: PanelPolicy = defaultPanelPolicy): PanelService {
  const phones = new PhoneReader(deps);
  const lookups = new CustomerLookups(deps, new LinkedPhonesMemo(deps, policy.linkedPhonesMs), policy);
  const stopListening = listenToLinkChanges(deps, lookups);
  const audit = new LookupAudit(deps, { batchRows: policy.auditBatchRows, flushMs: policy.auditFlushMs });

  return {
    async lookupCustomer(caller, query) {
      const phone = await phones.read(caller.shopId, query.phone, 'phone');
      const { call, linkedPhones, cached } = await lookups.lookup(caller.shopId, phone, query.refresh);
      audit.record({
        shopId: caller.shopId,
        agentId: callerAgentId(caller),
        phone,
        status: call.status,
        cached,
        at: deps.clock.now(),
      });
      return {
        phone,
        ...presentCall(call),
        customers: call.results,
        linked_phones: [...linkedPhones],
        cached,
      };
    },

    async search(caller, query) {
      // Only the customers search sends the chat's phone (docs/crm-endpoints.md#the-six-types); elsewhere it
      // is ignored, not checked.
      const phone =
        query.kind !== 'customers' || query.phone === undefined
          ? undefined
          : await phones.read(caller.shopId, query.phone, 'phone');
      return searchCrm(deps, caller.shopId, query, phone);
    },

    async linkCustomer(caller, input) {
      const linked = await linkCustomer(deps, phones, caller, input);
      await announceLinkChange(deps, caller.shopId, linked.link.phone);
      return linked;
    },

    async listLinks(caller, phoneInput) {
      return listLinks(deps, caller.shopId, await phones.read(caller.shopId, phoneInput, 'phone'));
    },

    async unlinkCustomer(caller, linkId) {
      const link = await unlinkCustomer(deps, caller.shopId, linkId);
      await announceLinkChange(deps, caller.shopId, link.phone);
    },

    async readAudit(shopId, query) {
      const phone = query.phone === undefined ? undefined : await phones.read(shopId, query.phone, 'phone');
      return audit.read(shopId, { phone, limit: query.limit });
    },

    idle: () => lookups.idle(),

    async close() {
      stopListening();
      await lookups.idle();
      await audit.close();
    },
  };
}
