/**
 * The outbound HTTP client and its policy (docs/architecture.md#the-outbound-policy): the only way Parley
 * calls a user-given URL. Import from here only.
 */
export { parseAllowList, type AllowRule } from './allow-list.ts';
export {
  createOutboundHttp,
  type OutboundHttp,
  type OutboundHttpOptions,
  type OutboundRequest,
  type OutboundResponse,
} from './client.ts';
export { OutboundError, type OutboundErrorCode } from './errors.ts';
export type { LookupFn } from './resolve.ts';
