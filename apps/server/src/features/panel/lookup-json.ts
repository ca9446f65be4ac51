/**
 * The JSON text of a lookup answer. The customers are most of it and, on a cache hit, the very same
 * objects every time, so their text is made once per cached answer and reused: serializing them anew
 * was the largest cost of a cache hit after the HTTP stack itself.
 */
import type { CustomerLookupResponse } from '@parley/contract';

// Keyed by the customers array of a cached answer; entries go when the answer leaves the cache.
// A memo of a pure function (the same input always gives the same answer): nothing an app could see.
// eslint-disable-next-line no-restricted-syntax
const customersJson = new WeakMap<CustomerLookupResponse['customers'], string>();

export function lookupJson(response: CustomerLookupResponse): string {
  const { customers, ...rest } = response;
  let customersText = customersJson.get(customers);
  if (customersText === undefined) {
    customersText = JSON.stringify(customers);
    customersJson.set(customers, customersText);
  }
  // `rest` always has fields, so its text ends with "}" after at least one member.
  return `${JSON.stringify(rest).slice(0, -1)},"customers":${customersText}}`;
}
